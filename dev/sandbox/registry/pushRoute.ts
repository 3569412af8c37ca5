import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ImageFaults } from '../imageFaults';
import { imageFaultsSchema } from '../imageFaults';
import type { TokenIssuer } from '../tokens';
import { audiences, bearerToken } from '../tokens';
import type { RegistryErrorCode, RegistryErrorEntry } from './errors';
import { RegistryError } from './errors';
import type { PushResult } from './module';
import { repositoryNameSchema, tagSchema } from './reference';

/** The push path of the sandbox's own API; not an ACR path. */
export const pushPath = '/_sandbox/registry/images';

/** Faults as JSON gives them (numbers, booleans or strings), read the way the push command reads its words. */
const jsonFaultsSchema = z.preprocess(
  (raw) =>
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? Object.fromEntries(
          Object.entries(raw).map(([k, v]) => [
            k,
            typeof v === 'number' || typeof v === 'boolean' ? String(v) : v,
          ]),
        )
      : raw,
  imageFaultsSchema,
);

const pushBodySchema = z
  .object({ repository: repositoryNameSchema, tag: tagSchema, faults: jsonFaultsSchema.optional() })
  .strict();

const codeFor = (field: PropertyKey | undefined): RegistryErrorCode =>
  field === 'repository' ? 'NAME_INVALID' : field === 'tag' ? 'TAG_INVALID' : 'MANIFEST_INVALID';

function parsePushBody(body: unknown): z.infer<typeof pushBodySchema> {
  const parsed = pushBodySchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const [first, ...rest]: RegistryErrorEntry[] = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || 'body';
    return { code: codeFor(issue.path[0]), message: `${path}: ${issue.message}`, detail: { field: path } };
  });
  if (!first) throw new RegistryError(400, 'MANIFEST_INVALID', 'the push body is not valid');
  throw new RegistryError(400, first.code, first.message, first.detail, rest);
}

/** What the push route needs: the Entra tokens it accepts, and the push itself. */
export interface PushRouteDeps {
  entra: TokenIssuer;
  push(repository: string, tag: string, faults: ImageFaults, userAgent: string): Promise<PushResult>;
}

/**
 * `POST /_sandbox/registry/images` with `{"repository", "tag", "faults"}`: pushes an image without a
 * Docker client, so the push command can reach a running sandbox. It takes a Microsoft Entra token
 * for the registry's audience, answers 201 with the digest (and `Docker-Content-Digest`, as a
 * manifest upload does) once the webhooks and events have been delivered or given up, with what
 * became of each.
 */
export function registerPushRoute(app: FastifyInstance, deps: PushRouteDeps): void {
  app.post(pushPath, async (req, reply) => {
    if (!deps.entra.verify(bearerToken(req), audiences.containerRegistry))
      throw new RegistryError(
        401,
        'UNAUTHORIZED',
        `a Microsoft Entra bearer token for ${audiences.containerRegistry} is required`,
      );
    const body = parsePushBody(req.body);
    const faults = body.faults ?? imageFaultsSchema.parse({});
    const result = await deps.push(body.repository, body.tag, faults, req.headers['user-agent'] ?? '');
    return reply.code(201).header('docker-content-digest', result.digest).send(result);
  });
}
