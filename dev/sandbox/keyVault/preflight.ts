import type { FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context';
import { audiences, bearerToken } from '../tokens';
import { unauthorized } from './errors';
import { parseApiVersion } from './schemas';

/**
 * What Key Vault checks before it looks at the operation: a bearer token issued for the Key Vault
 * audience, then a known api-version. Throws the {@link KeyVaultError} to answer with.
 */
export function keyVaultPreflight(ctx: SandboxContext, req: FastifyRequest): void {
  const token = bearerToken(req);
  if (token === undefined) {
    throw unauthorized('AKV10000: Request is missing a Bearer or PoP token.', ctx.identity.tenantId);
  }
  if (!ctx.tokens.verify(token, audiences.keyVault)) {
    const other = Object.values(audiences).find((audience) => ctx.tokens.verify(token, audience));
    throw unauthorized(
      other
        ? `AKV10022: Invalid audience. Expected ${audiences.keyVault}, found: ${other}/.`
        : // Not a live sandbox token: unknown, or expired.
          'AKV10046: Unable to resolve the key used for signature validation.',
      ctx.identity.tenantId,
    );
  }
  parseApiVersion(req.query);
}
