import type { DurableClient } from 'durable-functions';
import type { FreezeStore } from './azure/freezeStore';
import type { Config } from './config';
import { releaseInstanceId } from './domain/releaseId';
import { decideTagRelease } from './domain/releaseTags';
import { freezeOfPush, freezesInForce } from './freezeControl';
import { releaseOrchestrator } from './functionNames';
import { targetSnapshot } from './orchestrations/releaseModel';
import type { PromotionLink, ReleaseInput } from './orchestrations/releaseModel';
import { startOnce, statusIfAny } from './startOnce';

/** What a successful release hands on to the next target of its chain: its image, pinned by digest. */
export interface PromotionRequest {
  from: PromotionLink;
  to: string;
  /** `registry/repository:tag@sha256:…`, exactly as the source released it. */
  image: string;
  tag: string;
  digest: string;
}

/**
 * The release a promotion started, or found already there (`started: false`), or why it started none.
 * Either way the release of the digest on the next target has one id, the one a push would give it.
 */
export type PromotionResult = { releaseId: string; started: boolean } | { ignored: string };

/**
 * Starts the release of the promoted image on the next target, run by that target's own settings
 * (strategy, gates, approval, backup; a freeze refuses it as it refuses a push, saying how to release
 * it later). Its id is `releaseInstanceId(next, digest)`, so asking twice (a retried activity, the
 * image promoted again by another attempt) starts one release. A tag the next target does not release
 * stops the image there: a target narrows what reaches it as it narrows pushes.
 */
export async function startPromotion(
  client: DurableClient,
  config: Config,
  freezes: FreezeStore,
  request: PromotionRequest,
): Promise<PromotionResult> {
  const next = config.targets.find((t) => t.name === request.to);
  if (next === undefined) return { ignored: `"${request.to}" is no longer a target` };
  const decision = decideTagRelease(next.registry.releaseTags, request.tag);
  if (!decision.release) return { ignored: `${decision.reason}, which ${next.name} does not release` };
  const releaseId = releaseInstanceId(next.name, request.digest);
  // A release of the digest there already: no freeze to read, nothing to start.
  if ((await statusIfAny(client, releaseId)) !== undefined) return { releaseId, started: false };
  const input: ReleaseInput = {
    kind: 'push',
    releaseId,
    target: targetSnapshot(next),
    image: request.image,
    tag: request.tag,
    digest: request.digest,
    ...freezeOfPush(await freezesInForce(config, freezes), next, request.digest),
    promotedFrom: request.from,
  };
  return { releaseId, started: await startOnce(client, releaseOrchestrator, releaseId, input) };
}
