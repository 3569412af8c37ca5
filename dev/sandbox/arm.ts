import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context';
import { audiences, bearerToken } from './tokens';

/** Sends an error in ARM's shape: `{"error":{"code","message"}}`. */
export function armError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

/**
 * Checks what ARM checks before anything else: a bearer token for the management audience, and an
 * api-version. Answers the request and returns false when either is missing.
 */
export function armPreflight(ctx: SandboxContext, req: FastifyRequest, reply: FastifyReply): boolean {
  const token = bearerToken(req);
  if (!token) {
    void reply.header(
      'www-authenticate',
      'Bearer authorization_uri="https://login.microsoftonline.com/", error="invalid_token"',
    );
    void armError(
      reply,
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
    );
    return false;
  }
  if (!ctx.tokens.verify(token, audiences.arm)) {
    void armError(
      reply,
      401,
      'InvalidAuthenticationToken',
      'The access token is invalid or was issued for another audience.',
    );
    return false;
  }
  const apiVersion = (req.query as Record<string, unknown>)['api-version'];
  if (typeof apiVersion !== 'string' || !/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) {
    void armError(
      reply,
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
    return false;
  }
  return true;
}
