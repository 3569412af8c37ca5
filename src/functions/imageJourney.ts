import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { queryInstances } from '../azure/taskHubInstances';
import { chainLinkOf } from '../config';
import type { Config, Target } from '../config';
import { promotionChains } from '../domain/promotionChain';
import { releaseIdPrefix, releaseInstanceId } from '../domain/releaseId';
import { toInstanceView } from './instanceView';
import { problemResponse } from './problem';

const digestPattern = /^sha256:[0-9a-f]{64}$/;

/** One release of the image, as the journey shows it: which, how far it got or how it ended, and when. */
interface ReleaseSummary {
  id: string;
  runtimeStatus: unknown;
  phase?: unknown;
  outcome?: unknown;
  reason?: unknown;
  createdTime: unknown;
  lastUpdatedTime: unknown;
  promotedFrom?: unknown;
  promotedTo?: unknown;
}

/** One target of a chain: the release of the image there (a push's or a promotion's), and people's later attempts. */
interface JourneyStep {
  target: string;
  environment: string;
  release: ReleaseSummary | null;
  attempts: ReleaseSummary[];
}

/**
 * `GET /api/images/{digest}`: one image's way through the promotion chains, each chain in order from
 * its first target, with the release of the digest on each target if there was one. Read from the
 * durable instances, whose ids name target and digest (one prefix query per target, never the whole
 * task hub); chains the image never reached are left out. 400 for a malformed digest, 404 when no
 * target ever released it.
 */
export function imageJourney(config: Config): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const digest = req.params.digest ?? '';
    if (!digestPattern.test(digest))
      return problemResponse(
        400,
        'Bad Request',
        'The digest is not valid: expected "sha256:" followed by 64 lowercase hex digits.',
      );
    const client = df.getClient(context);
    const byName = new Map(config.targets.map((t) => [t.name, t]));
    const chains: { targets: JourneyStep[] }[] = [];
    for (const chain of promotionChains(config.targets.map(chainLinkOf))) {
      const steps: JourneyStep[] = [];
      for (const name of chain) {
        const target = byName.get(name);
        if (target !== undefined) steps.push(await stepOf(client, target, digest));
      }
      if (steps.some((s) => s.release !== null || s.attempts.length > 0)) chains.push({ targets: steps });
    }
    if (chains.length === 0) return problemResponse(404, 'Not Found', `No target has released ${digest}.`);
    return { status: 200, jsonBody: { digest, chains } };
  };
}

async function stepOf(client: DurableClient, target: Target, digest: string): Promise<JourneyStep> {
  const id = releaseInstanceId(target.name, digest);
  // Push and promotion ids and people's attempts all start with the target's prefix and the digest's first hex digits.
  const hex = digest.slice('sha256:'.length, 'sha256:'.length + 12);
  const found = (await queryInstances(client, { instanceIdPrefix: `${releaseIdPrefix(target.name)}${hex}` }))
    .sort((a, b) => b.createdTime.getTime() - a.createdTime.getTime())
    .map(toInstanceView)
    .filter((view) => view.id === id || String(view.image).endsWith(`@${digest}`))
    .map(toSummary);
  return {
    target: target.name,
    environment: target.environment,
    release: found.find((r) => r.id === id) ?? null,
    attempts: found.filter((r) => r.id !== id),
  };
}

function toSummary(view: Record<string, unknown>): ReleaseSummary {
  const picked = ['phase', 'outcome', 'reason', 'promotedFrom', 'promotedTo'].filter(
    (key) => view[key] !== undefined,
  );
  return {
    id: String(view.id),
    runtimeStatus: view.runtimeStatus,
    createdTime: view.createdTime,
    lastUpdatedTime: view.lastUpdatedTime,
    ...Object.fromEntries(picked.map((key) => [key, view[key]])),
  };
}
