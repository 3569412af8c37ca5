import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import type { TokenIssuer } from '../tokens';
import { audiences, bearerToken } from '../tokens';
import { RegistryError, invalidInput, sendRegistryError } from './errors';
import type { RegistryTokens, ScopeGrant } from './registryTokens';
import { allows, formatScope, parseScope } from './registryTokens';

const exchangeFormSchema = z.object({
  grant_type: z.literal('access_token'),
  service: z.string().min(1),
  access_token: z.string().min(1),
  tenant: z.string().optional(),
});

const tokenFormSchema = z.object({
  grant_type: z.literal('refresh_token'),
  service: z.string().min(1),
  scope: z.string().min(1),
  refresh_token: z.string().min(1),
});

function parseForm<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw invalidInput(parsed.error.issues, 'form');
}

const unauthorized = (message: string, detail: unknown = {}): RegistryError =>
  new RegistryError(401, 'UNAUTHORIZED', message, detail);

/**
 * ACR's token exchange, which `@azure/container-registry` runs after a challenge: a Microsoft Entra
 * token (for the registry's audience, or ARM's, both of which ACR accepts) becomes a registry refresh
 * token, and that an access token for the challenge's scope. The registry host is the `service`.
 */
export function registerTokenRoutes(app: FastifyInstance, entra: TokenIssuer, tokens: RegistryTokens): void {
  app.post('/oauth2/exchange', (req) => {
    const form = parseForm(exchangeFormSchema, req.body);
    if (form.service !== req.hostname)
      throw unauthorized(`service ${form.service} is not this registry (${req.hostname})`);
    const entraTokenValid =
      entra.verify(form.access_token, audiences.containerRegistry) ||
      entra.verify(form.access_token, audiences.arm);
    if (!entraTokenValid)
      throw unauthorized(
        `the access token is not a live Microsoft Entra token for ${audiences.containerRegistry} or ${audiences.arm}`,
      );
    return { refresh_token: tokens.refreshToken(form.service) };
  });

  app.post('/oauth2/token', (req) => {
    const form = parseForm(tokenFormSchema, req.body);
    if (!tokens.verifyRefresh(form.refresh_token, req.hostname))
      throw unauthorized('the refresh token is not a live token of this registry');
    const grants = parseScope(form.scope);
    if (!grants) throw new RegistryError(400, 'UNSUPPORTED', `invalid scope: ${form.scope}`);
    return { access_token: tokens.accessToken(req.hostname, grants) };
  });
}

/**
 * A pre-handler that lets a request through only with a registry access token covering the scope
 * it needs; otherwise the 401 and `WWW-Authenticate` challenge that start the SDK's exchange.
 */
export function requireScope(
  tokens: RegistryTokens,
  scopeOf: (req: FastifyRequest) => ScopeGrant,
): preHandlerAsyncHookHandler {
  return async function checkScope(this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
    const needed = scopeOf(req);
    const grants = tokens.accessOf(bearerToken(req), req.hostname);
    if (grants && allows(grants, needed)) return;
    const challenge = `Bearer realm="https://${req.host}/oauth2/token",service="${req.hostname}",scope="${formatScope(needed)}"`;
    const detail = needed.actions.map((action) => ({ Type: needed.type, Name: needed.name, Action: action }));
    await sendRegistryError(
      reply.header('www-authenticate', challenge),
      unauthorized(
        'authentication required, visit https://aka.ms/acr/authorization for more information.',
        detail,
      ),
    );
  };
}
