import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Clock } from '../host/clock';
import { ArmOperationLog } from './armOperations';
import type { SandboxCertificates } from './certificates';
import type { SandboxContext, SandboxIdentity, SandboxModule } from './context';
import { MetricsStore } from './metrics';
import { TokenIssuer } from './tokens';

export interface SandboxServerOptions {
  certificates: SandboxCertificates;
  clock: Clock;
  identity: SandboxIdentity;
  modules: SandboxModule[];
  /** 0 picks a free port. */
  port?: number;
  /** Sandbox milliseconds after a minute ends before the metrics show it (0: at once). */
  metricsDelayMs?: number;
  /**
   * A folder to write the ARM operations Shepherd calls into (a file per sandbox), for the check that
   * Shepherd's custom role covers them; by default `SANDBOX_ARM_OPERATION_LOG`, which the test
   * runner sets. Unset: they are only kept in memory.
   */
  armOperationLog?: string;
}

export interface SandboxServer {
  url: string;
  context: SandboxContext;
  close(): Promise<void>;
}

/**
 * One HTTPS origin on localhost serving every sandbox module (identity, ARM, metrics, Key Vault,
 * the registry), as the real services' hosts would. Errors come back in ARM's shape unless a module
 * answers in its own service's shape.
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const { certificates, clock } = options;
  const app = Fastify({
    https: { cert: certificates.certPem, key: certificates.keyPem },
    // ARM paths, Key Vault secret names and the like are case-insensitive in Azure.
    // Path parameters such as Key Vault's 127-character secret names exceed the default limit of 100.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 1024 },
    logger: false,
  });
  acceptEmptyAndFormBodies(app);
  const logFolder = options.armOperationLog ?? process.env.SANDBOX_ARM_OPERATION_LOG;
  const armOperations = new ArmOperationLog(
    logFolder === undefined || logFolder === ''
      ? undefined
      : join(logFolder, `${process.pid}-${randomUUID()}.log`),
  );
  app.addHook('onResponse', (req, reply, done) => {
    armOperations.note(req.method, req.url, req.headers['user-agent'], reply.statusCode);
    done();
  });
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    void reply
      .code(status)
      .send({ error: { code: status === 500 ? 'InternalServerError' : 'BadRequest', message: err.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({
      error: {
        code: 'NotFound',
        message: `The sandbox has no resource at ${req.method} ${req.url.split('?')[0] ?? ''}.`,
      },
    });
  });

  let url = '';
  const context: SandboxContext = {
    clock,
    identity: options.identity,
    tokens: new TokenIssuer(),
    metrics: new MetricsStore(clock, options.metricsDelayMs ?? 0),
    tls: { cert: certificates.certPem, key: certificates.keyPem, ca: certificates.caPem },
    url: () => url,
    armOperations,
  };
  const closers: (() => Promise<void>)[] = [];
  for (const module of options.modules) {
    const registered = module(app, context);
    if (registered) closers.push(() => registered.close());
  }
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  url = `https://localhost:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    context,
    close: async () => {
      for (const close of closers) await close();
      await app.close();
    },
  };
}

/**
 * JSON bodies may be empty (the Key Vault SDK's first, unauthenticated request drops its body) and
 * token endpoints take form posts.
 */
function acceptEmptyAndFormBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
}
