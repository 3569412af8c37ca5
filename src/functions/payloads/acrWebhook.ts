import { z } from 'zod';
import { requiredString } from './fields';
import { registryPush, toImagePush } from './imagePush';
import { parseWith, type ParseResult } from './parseResult';

const ignoredAction = z.enum(['delete', 'chart_push', 'chart_delete', 'quarantine']);

const ignoredBecause: Record<z.infer<typeof ignoredAction>, string> = {
  delete: 'a deletion starts no release',
  chart_push: 'Helm charts are not released',
  chart_delete: 'Helm charts are not released',
  quarantine: 'an image in quarantine is not released',
};

const acrWebhookBody = z.discriminatedUnion('action', [
  registryPush
    .extend({ action: z.literal('push') })
    .transform((push) => ({ kind: 'push' as const, ...toImagePush(push) })),
  // The portal's "Ping" sends a test event; its other fields are not documented, so only the id counts.
  z
    .object({ action: z.literal('ping'), id: requiredString })
    .transform(({ id }) => ({ kind: 'ping' as const, id })),
  // Valid deliveries the webhook may be configured to send, none of which is a release.
  z
    .object({ action: ignoredAction })
    .transform(({ action }) => ({ kind: 'ignored' as const, action, reason: ignoredBecause[action] })),
]);

/** An ACR webhook delivery: an image push, a ping from the portal, or an action that starts nothing. */
export type AcrWebhookEvent = z.output<typeof acrWebhookBody>;

/**
 * Validates the JSON body of an ACR webhook delivery (`POST /api/hooks/acr`). Call it after the
 * caller's secret has been checked; problems name the body's fields.
 */
export function parseAcrWebhook(body: unknown): ParseResult<AcrWebhookEvent> {
  return parseWith(acrWebhookBody, body);
}
