import type { FastifyInstance } from 'fastify';
import type { Clock } from '../host/clock';
import type { ArmOperationLog } from './armOperations';
import type { MetricsStore } from './metrics';
import type { TokenIssuer } from './tokens';

/** The sandbox's own Microsoft Entra application: the credential the app uses locally. */
export interface SandboxIdentity {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** What every sandbox module shares: the clock, tokens, metrics, and where the sandbox listens. */
export interface SandboxContext {
  clock: Clock;
  identity: SandboxIdentity;
  tokens: TokenIssuer;
  metrics: MetricsStore;
  tls: { cert: string; key: string; ca: string };
  /** The sandbox's base URL, e.g. `https://localhost:8443`, once it listens. */
  url(): string;
  /** The ARM operations Shepherd has called on this sandbox. */
  armOperations: ArmOperationLog;
}

/** What a module may hand back: a way to release what it started (processes, timers, servers). */
export interface ModuleHandle {
  close(): Promise<void>;
}

/** One Azure service of the sandbox: it adds its routes, and may return a handle to clean up with. */
export type SandboxModule = (app: FastifyInstance, ctx: SandboxContext) => ModuleHandle | undefined;
