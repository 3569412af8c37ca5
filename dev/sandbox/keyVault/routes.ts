import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context';
import {
  toDeletedSecretBundle,
  toDeletedSecretItem,
  toLatestItem,
  toSecretBundle,
  toVersionItem,
} from './bundles';
import { KeyVaultError } from './errors';
import { pageOf } from './paging';
import type { PageWire } from './paging';
import { keyVaultPreflight } from './preflight';
import {
  parseApiVersion,
  parseListQuery,
  parseSecretName,
  parseSetSecretBody,
  parseUpdateSecretBody,
} from './schemas';
import { secretKey, versionKey } from './secret';
import type { SecretStore } from './store';

interface ByName {
  Params: { name: string };
}
interface ByVersion {
  Params: { name: string; version: string };
}

/**
 * Key Vault's secrets operations (REST API 7.x / 2025-07-01) at the root of the sandbox origin: the
 * SDK parses ids as exactly `/secrets/{name}/{version}`, so a vault cannot sit under a path prefix.
 * Every request passes the preflight first, so the SDK's token-less first request gets its challenge
 * before any body is looked at. Errors come back in Key Vault's shape.
 */
export function registerKeyVaultRoutes(app: FastifyInstance, store: SecretStore, ctx: SandboxContext): void {
  void app.register((scope, _options, done) => {
    scope.addHook('onRequest', (req, _reply, next) => {
      try {
        keyVaultPreflight(ctx, req);
        next();
      } catch (err) {
        next(err as Error);
      }
    });
    scope.setErrorHandler(sendError);

    const url = (): string => ctx.url();
    const name = (req: FastifyRequest<ByName>): string => parseSecretName(req.params.name);

    scope.put<ByName>('/secrets/:name', (req) =>
      toSecretBundle(url(), store.set(name(req), parseSetSecretBody(req.body)), true),
    );
    // `GET /secrets/{name}/` (latest) arrives here too: the server ignores trailing slashes.
    scope.get<ByName>('/secrets/:name', (req) => toSecretBundle(url(), store.get(name(req)), true));
    scope.get<ByVersion>('/secrets/:name/:version', (req) =>
      toSecretBundle(url(), store.get(name(req), req.params.version), true),
    );
    scope.patch<ByName>('/secrets/:name', (req) =>
      toSecretBundle(url(), store.update(name(req), undefined, parseUpdateSecretBody(req.body)), false),
    );
    scope.patch<ByVersion>('/secrets/:name/:version', (req) =>
      toSecretBundle(
        url(),
        store.update(name(req), req.params.version, parseUpdateSecretBody(req.body)),
        false,
      ),
    );
    scope.delete<ByName>('/secrets/:name', (req) => toDeletedSecretBundle(url(), store.delete(name(req))));

    scope.get('/secrets', (req) =>
      page(
        req,
        '/secrets',
        store.list(),
        (v) => secretKey(v.name),
        (v) => toLatestItem(url(), v),
      ),
    );
    scope.get<ByName>('/secrets/:name/versions', (req) =>
      page(req, `/secrets/${name(req)}/versions`, store.versions(name(req)), versionKey, (v) =>
        toVersionItem(url(), v),
      ),
    );

    scope.get('/deletedsecrets', (req) =>
      page(
        req,
        '/deletedsecrets',
        store.listDeleted(),
        (d) => secretKey(d.latest.name),
        (d) => toDeletedSecretItem(url(), d),
      ),
    );
    scope.get<ByName>('/deletedsecrets/:name', (req) =>
      toDeletedSecretBundle(url(), store.getDeleted(name(req))),
    );
    scope.delete<ByName>('/deletedsecrets/:name', (req, reply) => {
      store.purge(name(req));
      return reply.code(204).send();
    });
    scope.post<ByName>('/deletedsecrets/:name/recover', (req) =>
      toSecretBundle(url(), store.recover(name(req)), false),
    );

    /** A page of a list, with an absolute `nextLink` back to the same path. */
    function page<T, W>(
      req: FastifyRequest,
      path: string,
      items: readonly T[],
      keyOf: (item: T) => string,
      toWire: (item: T) => W,
    ): PageWire<W> {
      return pageOf(items, keyOf, toWire, {
        url: `${url()}${path}`,
        apiVersion: parseApiVersion(req.query),
        ...parseListQuery(req.query),
      });
    }

    done();
  });
}

/** Key Vault's error shape for its own errors and for the server's (bad JSON, wrong content type). */
function sendError(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error =
    err instanceof KeyVaultError
      ? err
      : err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500
        ? new KeyVaultError(err.statusCode, 'BadParameter', err.message)
        : // The cause stays out of the answer: it could quote a request body, and so a secret value.
          new KeyVaultError(500, 'InternalError', 'The sandbox vault failed to handle the request.');
  return reply.code(error.status).headers(error.headers).send(error.toBody());
}
