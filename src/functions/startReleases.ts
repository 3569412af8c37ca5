import type { DurableClient } from 'durable-functions';
import type { Config } from '../config';
import { releaseInstanceId } from '../domain/releaseId';
import { decideTagRelease } from '../domain/releaseTags';
import { releaseOrchestrator, targetSnapshot } from '../orchestrations/releaseModel';
import type { ReleaseInput } from '../orchestrations/releaseModel';
import type { ImagePush } from './payloads/imagePush';

/** What a push meant for one target that follows its repository. */
export type PushOutcome =
  | { target: string; outcome: 'started' | 'duplicate'; releaseId: string }
  | { target: string; outcome: 'ignored'; reason: string };

/**
 * Starts a release for every target that follows the pushed repository and releases its tag. The
 * release id comes from target and digest, so the same push delivered twice, by the webhook, Event
 * Grid or both, starts one release.
 */
export async function startReleasesForPush(
  client: DurableClient,
  config: Config,
  push: ImagePush,
): Promise<PushOutcome[]> {
  const following = config.targets.filter(
    (t) =>
      t.registry.loginServer.toLowerCase() === push.registry.toLowerCase() &&
      t.registry.repository === push.repository,
  );
  const outcomes: PushOutcome[] = [];
  for (const target of following) {
    const decision = decideTagRelease(target.registry.releaseTags, push.tag);
    if (!decision.release || push.tag === undefined) {
      outcomes.push({
        target: target.name,
        outcome: 'ignored',
        reason: decision.release ? 'the push has no tag' : decision.reason,
      });
      continue;
    }
    const releaseId = releaseInstanceId(target.name, push.digest);
    const input: ReleaseInput = {
      kind: 'push',
      releaseId,
      target: targetSnapshot(target),
      image: `${push.registry}/${push.repository}:${push.tag}@${push.digest}`,
      tag: push.tag,
      digest: push.digest,
      frozen: config.frozenEnvironments.includes(target.environment),
    };
    outcomes.push({
      target: target.name,
      outcome: (await startOnce(client, releaseId, input)) ? 'started' : 'duplicate',
      releaseId,
    });
  }
  return outcomes;
}

/** Starts the release unless an instance with its id exists (or another delivery starts it first). */
async function startOnce(client: DurableClient, releaseId: string, input: ReleaseInput): Promise<boolean> {
  const existing = await client.getStatus(releaseId).catch(() => undefined);
  if (existing) return false;
  try {
    await client.startNew(releaseOrchestrator, { instanceId: releaseId, input });
    return true;
  } catch (err) {
    // host.json's NonRunningStates refuses a second start of a running instance: a concurrent duplicate.
    if ((await client.getStatus(releaseId).catch(() => undefined)) !== undefined) return false;
    throw err;
  }
}
