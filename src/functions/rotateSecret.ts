import { randomBytes } from 'node:crypto';
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { currentVersion } from '../activities/inspectSecret';
import type { Config } from '../config';
import { requestedRotationId } from '../domain/rotationId';
import type { RotationServices } from '../rotationServices';
import { startRotation } from '../secretControl';
import { callerOf } from './caller';
import { reasonText } from './payloads/fields';
import { parseWith } from './payloads/parseResult';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';
import { secretOf } from './secretOf';

const body = z.object({ reason: reasonText }).strict();

/**
 * `POST /api/secrets/{name}/rotate` with `{ "reason": "…" }`: rotates the secret now, as durable work;
 * the caller and reason are recorded with the new version. 409 while a rotation of it runs, or for a
 * secret Shepherd cannot rotate.
 */
export function rotateSecret(config: Config, services: RotationServices): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = secretOf(config, req.params.name);
    if ('problem' in found) return found.problem;
    const { secret } = found;
    const read = await readJsonBody(req, '{"reason": "…"}');
    if ('problem' in read) return read.problem;
    const parsed = parseWith(body, read.body);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'A rotation needs a reason: {"reason": "…"}.', {
        errors: parsed.problems,
      });
    if (secret.kind === 'manual')
      return problemResponse(
        409,
        'Conflict',
        `Shepherd cannot rotate ${secret.name}: it is a manual secret, which only its owner can renew.`,
      );
    let version: string | null;
    try {
      version = (await currentVersion(services, secret.keyVaultSecretUri))?.version ?? null;
    } catch (err) {
      context.error(
        `reading ${secret.name}'s current version failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return problemResponse(
        503,
        'Service Unavailable',
        `Key Vault could not be read for ${secret.name}; try again.`,
      );
    }
    const requestedBy = {
      via: 'person' as const,
      by: callerOf(req.headers, config.easyAuthEnabled),
      reason: parsed.value.reason,
    };
    const rotationId = requestedRotationId(secret.name, version, randomBytes(4).toString('hex'));
    const start = await startRotation(df.getClient(context), config, secret, rotationId, requestedBy);
    const location = { location: `/api/rotations/${encodeURIComponent(start.rotationId)}` };
    if (start.outcome === 'running')
      return {
        ...problemResponse(409, 'Conflict', `A rotation of ${secret.name} runs already.`, {
          rotationId: start.rotationId,
        }),
        headers: { 'content-type': 'application/problem+json', ...location },
      };
    context.log(`rotation of ${secret.name} asked by ${requestedBy.by}: ${start.rotationId}`);
    return { status: 202, headers: location, jsonBody: { rotationId: start.rotationId } };
  };
}
