import type { KnownReleases } from '../knownReleases';
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { FreezeStore } from '../azure/freezeStore';
import type { Config } from '../config';
import { parseAcrWebhook } from './payloads/acrWebhook';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';
import { secretsEqual } from './secretsEqual';
import { followedBy, startReleasesForPush } from './startReleases';

/** The custom header the ACR webhook is configured to send the shared secret in. */
export const webhookSecretHeader = 'x-shepherd-webhook-secret';

/**
 * `POST /api/hooks/acr`: the registry webhook. Authenticated by the shared secret in its custom
 * header; a push starts releases, a ping is answered; other actions, and pushes to repositories no
 * target follows, are acknowledged with 202 and ignored.
 */
export function acrWebhook(config: Config, freezes: FreezeStore, known: KnownReleases): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const presented = req.headers.get(webhookSecretHeader);
    if (presented === null || !secretsEqual(presented, config.acrWebhookSecret)) {
      return problemResponse(401, 'Unauthorized', `The ${webhookSecretHeader} header is missing or wrong.`);
    }
    const read = await readJsonBody(req, 'an ACR webhook event');
    if ('problem' in read) return read.problem;
    const parsed = parseAcrWebhook(read.body, followedBy(config));
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'The webhook payload is not valid.', {
        errors: parsed.problems,
      });
    const event = parsed.value;
    if (event.kind === 'ping') return { status: 200, jsonBody: { ok: true } };
    if (event.kind === 'ignored') {
      context.log(`ignored an ACR ${event.action}: ${event.reason}`);
      return { status: 202, jsonBody: { ignored: event.reason } };
    }
    const releases = await startReleasesForPush(df.getClient(context), config, freezes, event, known);
    context.log(
      `push of ${event.repository}:${event.tag ?? event.digest}: ${releases.map((r) => `${r.target} ${r.outcome}`).join(', ')}`,
    );
    return { status: 202, jsonBody: { releases } };
  };
}
