import type { DurableClient } from 'durable-functions';

/**
 * Starts orchestration `name` as `instanceId` unless an instance with that id exists, running or
 * ended (or another delivery of the same request starts it first). Returns whether this call
 * started it. Work whose id is made from what asked for it (a push's digest, a secret's version)
 * therefore runs once however often it is asked.
 */
export async function startOnce(
  client: DurableClient,
  name: string,
  instanceId: string,
  input: unknown,
): Promise<boolean> {
  const existing = await client.getStatus(instanceId).catch(() => undefined);
  if (existing) return false;
  try {
    await client.startNew(name, { instanceId, input });
    return true;
  } catch (err) {
    // host.json's NonRunningStates refuses a second start of a running instance: a concurrent duplicate.
    if ((await client.getStatus(instanceId).catch(() => undefined)) !== undefined) return false;
    throw err;
  }
}
