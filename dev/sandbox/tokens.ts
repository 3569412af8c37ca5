import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** Audiences of the Azure services the sandbox plays, as their token scopes name them. */
export const audiences = {
  arm: 'https://management.azure.com',
  keyVault: 'https://vault.azure.net',
  containerRegistry: 'https://containerregistry.azure.net',
} as const;

const lifetimeSeconds = 3599;

/**
 * Access tokens the sandbox's identity endpoint issues: opaque, each for one audience, valid for an
 * hour as Microsoft Entra tokens are. Lifetimes run on real time, not the sandbox clock, because
 * clients cache tokens by real time.
 */
export class TokenIssuer {
  readonly #tokens = new Map<string, { audience: string; expiresAt: number; clientId: string }>();

  issue(audience: string, clientId: string): { token: string; expiresIn: number } {
    const token = randomBytes(32).toString('base64url');
    this.#tokens.set(token, {
      audience: audience.replace(/\/+$/, ''),
      expiresAt: Date.now() + lifetimeSeconds * 1000,
      clientId,
    });
    return { token, expiresIn: lifetimeSeconds };
  }

  /** Whether `token` is live and was issued for `audience`. */
  verify(token: string | undefined, audience: string): boolean {
    if (token === undefined) return false;
    const entry = this.#tokens.get(token);
    return entry !== undefined && entry.audience === audience && entry.expiresAt > Date.now();
  }
}

/** The bearer token of a request, if it has one. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
