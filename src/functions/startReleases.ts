import type { KnownReleases } from '../knownReleases';
import type { DurableClient } from 'durable-functions';
import type { FreezeStore } from '../azure/freezeStore';
import { freezeOfPush, freezesInForce } from '../freezeControl';
import { startOnce, statusIfAny } from '../startOnce';
import { chainLinkOf } from '../config';
import type { Config, Target } from '../config';
import { promotionSource } from '../domain/promotionChain';
import { decidePushedArtifact } from '../domain/pushedArtifact';
import { releaseInstanceId } from '../domain/releaseId';
import { decideTagRelease } from '../domain/releaseTags';
import { releaseOrchestrator } from '../functionNames';
import { targetSnapshot } from '../orchestrations/releaseModel';
import type { ReleaseInput } from '../orchestrations/releaseModel';
import type { ImagePush, RepositoryFollowed } from './payloads/imagePush';

/** What a push meant for one target that follows its repository. */
export type PushOutcome =
  | { target: string; outcome: 'started' | 'duplicate'; releaseId: string }
  | { target: string; outcome: 'ignored'; reason: string };

/**
 * The targets that follow `repository` of `registry` (a host name, any case); with no registry,
 * those that follow a repository of that name in any registry.
 */
export function targetsFollowing(config: Config, repository: string, registry: string | undefined): Target[] {
  return config.targets.filter(
    (t) =>
      t.registry.repository === repository &&
      (registry === undefined || t.registry.loginServer.toLowerCase() === registry.toLowerCase()),
  );
}

/** Whether any of the configured targets follows a repository: what payload parsers ask before reading a push. */
export function followedBy(config: Config): RepositoryFollowed {
  return (repository, registry) => targetsFollowing(config, repository, registry).length > 0;
}

/**
 * Starts a release for every target that follows the pushed repository, when what was pushed is an
 * image (not a signature, attestation or other artifact) and the target releases its tag; a target
 * that another target promotes to takes that image from the promotion instead. The release
 * id comes from target and digest, so the same push delivered twice, by the webhook, Event Grid or
 * both, starts one release; `known` answers a repeat this worker has already seen without asking the task hub. A push to a frozen target starts a release that records the refusal and
 * why; a freeze store that cannot be read throws, so the delivery fails and comes again.
 */
export async function startReleasesForPush(
  client: DurableClient,
  config: Config,
  freezeStore: FreezeStore,
  push: ImagePush,
  known: KnownReleases,
): Promise<PushOutcome[]> {
  const outcomes: PushOutcome[] = [];
  const artifact = decidePushedArtifact(push);
  const following = targetsFollowing(config, push.repository, push.registry);
  const links = config.targets.map(chainLinkOf);
  // Read once, and only for a push that may start a release: a repeated delivery needs no freeze.
  let freezes: Awaited<ReturnType<typeof freezesInForce>> | undefined;
  for (const target of following) {
    const decision = artifact.release ? decideTagRelease(target.registry.releaseTags, push.tag) : artifact;
    if (!decision.release || push.tag === undefined) {
      outcomes.push({
        target: target.name,
        outcome: 'ignored',
        reason: decision.release ? 'the push has no tag' : decision.reason,
      });
      continue;
    }
    const source = promotionSource(links, target.name);
    if (source !== undefined) {
      outcomes.push({
        target: target.name,
        outcome: 'ignored',
        reason: `waits for promotion from ${source}`,
      });
      continue;
    }
    const releaseId = releaseInstanceId(target.name, push.digest);
    if (known.has(releaseId) || (await statusIfAny(client, releaseId)) !== undefined) {
      known.add(releaseId);
      outcomes.push({ target: target.name, outcome: 'duplicate', releaseId });
      continue;
    }
    freezes ??= await freezesInForce(config, freezeStore);
    const input: ReleaseInput = {
      kind: 'push',
      releaseId,
      target: targetSnapshot(target),
      image: `${push.registry}/${push.repository}:${push.tag}@${push.digest}`,
      tag: push.tag,
      digest: push.digest,
      ...freezeOfPush(freezes, target, push.digest),
    };
    const started = await startOnce(client, releaseOrchestrator, releaseId, input);
    known.add(releaseId);
    outcomes.push({ target: target.name, outcome: started ? 'started' : 'duplicate', releaseId });
  }
  return outcomes;
}
