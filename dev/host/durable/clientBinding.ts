/**
 * The value of a `durableClient` input binding: the management URLs the Durable Functions extension
 * hands to clients, pointing at this host's `/runtime/webhooks/durabletask` API. As in Azure, the URLs
 * carry the extension's system key, so responses built from them must only go to trusted callers.
 */
export function durableClientData(
  baseUrl: string,
  taskHub: string,
  systemKey: string,
): Record<string, unknown> {
  const root = `${baseUrl}/runtime/webhooks/durabletask`;
  const query = `taskHub=${encodeURIComponent(taskHub)}&connection=Storage&code=${encodeURIComponent(systemKey)}`;
  const instance = `${root}/instances/INSTANCEID`;
  return {
    taskHubName: taskHub,
    creationUrls: {
      createNewInstancePostUri: `${root}/orchestrators/{functionName}[/{instanceId}]?code=${encodeURIComponent(systemKey)}`,
      waitOnNewInstancePostUri: `${root}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=${encodeURIComponent(systemKey)}`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      restartPostUri: `${instance}/restart?${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: root,
    requiredQueryStringParameters: query,
  };
}

/** The management links for one instance, as `createCheckStatusResponse` returns them. */
export function managementPayload(
  clientData: Record<string, unknown>,
  instanceId: string,
): Record<string, string> {
  const urls = clientData.managementUrls as Record<string, string>;
  const payload: Record<string, string> = {};
  for (const [key, value] of Object.entries(urls))
    payload[key] = value.replaceAll('INSTANCEID', encodeURIComponent(instanceId));
  payload.id = instanceId;
  return payload;
}
