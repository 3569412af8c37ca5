import { z } from 'zod';
import { requiredString } from './fields';
import { registryPush, toImagePush, unfollowedPush, type RepositoryFollowed } from './imagePush';
import { parseWith, type ParseResult } from './parseResult';

/** Why the actions ACR documents besides push and ping start nothing. */
const ignoredBecause: Record<string, string> = {
  delete: 'a deletion starts no release',
  chart_push: 'Helm charts are not released',
  chart_delete: 'Helm charts are not released',
  quarantine: 'an image in quarantine is not released',
};

const acrAction = z.object({ action: requiredString });

const pushBody = registryPush.transform((push) => ({ kind: 'push' as const, ...toImagePush(push) }));

// The portal's "Ping" sends a test event; its other fields are not documented, so only the id counts.
const pingBody = z.object({ id: requiredString }).transform(({ id }) => ({ kind: 'ping' as const, id }));

/** A delivery acknowledged without starting anything, and why. */
export interface IgnoredDelivery {
  kind: 'ignored';
  action: string;
  reason: string;
}

/** An ACR webhook delivery: an image push, a ping from the portal, or one that starts nothing. */
export type AcrWebhookEvent = z.output<typeof pushBody> | z.output<typeof pingBody> | IgnoredDelivery;

/**
 * Validates the JSON body of an ACR webhook delivery (`POST /api/hooks/acr`). Call it after the
 * caller's secret has been checked; problems name the body's fields. A push for a repository no
 * target follows, and any action other than push and ping (ACR documents delete, chart_push,
 * chart_delete and quarantine, and may add more), is ignored without reading the rest of the body.
 */
export function parseAcrWebhook(body: unknown, follows: RepositoryFollowed): ParseResult<AcrWebhookEvent> {
  const parsed = parseWith(acrAction, body);
  if (!parsed.ok) return parsed;
  const { action } = parsed.value;
  if (action === 'ping') return parseWith(pingBody, body);
  const ignored = (reason: string): ParseResult<AcrWebhookEvent> => ({
    ok: true,
    value: { kind: 'ignored', action, reason },
  });
  if (action !== 'push')
    return ignored(ignoredBecause[action] ?? `Shepherd does not act on the ACR action "${action}"`);
  const unfollowed = unfollowedPush(body, follows);
  return unfollowed === undefined ? parseWith(pushBody, body) : ignored(unfollowed);
}
