import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

/**
 * What `durable-functions` throws when the extension answers 404 for an instance: its only sign that
 * the instance does not exist (v3's `getStatus` throws rather than answering undefined).
 */
const notFound = /replied with HTTP 404 response/;

/**
 * The status of `instanceId`, or undefined when no such instance exists. Any other failure (the task
 * hub's storage out of reach) is thrown: taking it for "not there" could run finished work again.
 */
export async function statusIfAny(
  client: DurableClient,
  instanceId: string,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch (err) {
    if (err instanceof Error && notFound.test(err.message)) return undefined;
    throw err;
  }
}

/**
 * Starts orchestration `name` as `instanceId` unless an instance with that id exists, running or
 * ended (or another delivery of the same request starts it first). Returns whether this call
 * started it. Work whose id is made from what asked for it (a push's digest, a secret's version)
 * therefore runs once however often it is asked. When the task hub cannot say, it throws, and the
 * delivery is answered with an error and comes again.
 */
export async function startOnce(
  client: DurableClient,
  name: string,
  instanceId: string,
  input: unknown,
): Promise<boolean> {
  if ((await statusIfAny(client, instanceId)) !== undefined) return false;
  try {
    await client.startNew(name, { instanceId, input });
    return true;
  } catch (err) {
    // host.json's NonRunningStates refuses a second start of a running instance: a concurrent duplicate.
    if ((await statusIfAny(client, instanceId)) !== undefined) return false;
    throw err;
  }
}
