import type { FastifyInstance } from 'fastify';
import { secretsEqual } from '../host/auth';
import type { SandboxContext } from './context';

/**
 * The two Microsoft Entra endpoints MSAL calls for a client-credentials token when instance discovery
 * is off: the OpenID configuration and the token endpoint. Only the sandbox's own client id and
 * secret get a token.
 */
export function identityModule(app: FastifyInstance, ctx: SandboxContext): undefined {
  app.get<{ Params: { tenant: string } }>('/:tenant/v2.0/.well-known/openid-configuration', (req, reply) => {
    const { tenant } = req.params;
    if (tenant !== ctx.identity.tenantId)
      return reply.code(400).send(entraError('invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`));
    const base = `${ctx.url()}/${tenant}`;
    return {
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    };
  });

  app.post<{ Params: { tenant: string }; Body: Record<string, string> | undefined }>(
    '/:tenant/oauth2/v2.0/token',
    (req, reply) => {
      const form = req.body ?? {};
      if (req.params.tenant !== ctx.identity.tenantId) {
        return reply
          .code(400)
          .send(entraError('invalid_request', `AADSTS90002: Tenant '${req.params.tenant}' not found.`));
      }
      if (form.grant_type !== 'client_credentials') {
        return reply
          .code(400)
          .send(
            entraError(
              'unsupported_grant_type',
              'AADSTS70003: The sandbox issues client-credentials tokens only.',
            ),
          );
      }
      if (form.client_id !== ctx.identity.clientId) {
        return reply
          .code(400)
          .send(
            entraError(
              'unauthorized_client',
              `AADSTS700016: Application '${form.client_id ?? ''}' was not found.`,
            ),
          );
      }
      if (!secretsEqual(form.client_secret ?? '', ctx.identity.clientSecret)) {
        return reply
          .code(401)
          .send(entraError('invalid_client', 'AADSTS7000215: Invalid client secret provided.'));
      }
      const scope = form.scope ?? '';
      if (!scope.endsWith('/.default')) {
        return reply
          .code(400)
          .send(
            entraError('invalid_scope', `AADSTS1002012: The provided value for scope ${scope} is not valid.`),
          );
      }
      const { token, expiresIn } = ctx.tokens.issue(scope.slice(0, -'/.default'.length), form.client_id);
      return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
    },
  );
  return undefined;
}

function entraError(error: string, description: string): Record<string, unknown> {
  return { error, error_description: description, error_codes: [], timestamp: new Date().toISOString() };
}
