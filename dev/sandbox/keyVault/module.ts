import type { FastifyInstance } from 'fastify';
import type { ModuleHandle, SandboxContext } from '../context';
import { EventGridPublisher } from './eventGridPublisher';
import type { EventGridPublisherOptions } from './eventGridPublisher';
import { secretNewVersionCreated, toSecretEvent, vaultResourceId } from './events';
import type { SecretEventType } from './events';
import { ExpiryWatch } from './expiryWatch';
import { vaultReads } from './reads';
import type { VaultReads } from './reads';
import { registerKeyVaultRoutes } from './routes';
import { secretKey } from './secret';
import type { SecretChange, SecretVersion } from './secret';
import { SecretStore } from './store';

export interface KeyVaultOptions {
  /** The vault's name, as its events' `VaultName` and `topic` show it. */
  vaultName: string;
  /** The subscription in the events' `topic`; by default the one the sandbox's example target uses. */
  subscriptionId?: string;
  /** The resource group in the events' `topic`; `shepherd-sandbox` by default, as for the example target. */
  resourceGroup?: string;
  /** The Event Grid subscription's webhook to deliver the vault's events to; no events without it. */
  eventGrid?: EventGridPublisherOptions;
}

/** The running vault: `idle()` waits for Event Grid deliveries, so tests can step a virtual clock. */
export interface KeyVaultHandle extends ModuleHandle {
  idle(): Promise<void>;
}

export type KeyVaultModule = (app: FastifyInstance, ctx: SandboxContext) => KeyVaultHandle;

/** A vault, and how other sandbox services read it once its module is registered. */
export interface SandboxKeyVault {
  module: KeyVaultModule;
  reads: VaultReads;
}

/** The vault alone, for a sandbox where no other service reads it. */
export function keyVaultModule(options: KeyVaultOptions): KeyVaultModule {
  return createKeyVault(options).module;
}

/**
 * A Key Vault with soft-delete (90 days) serving the secrets API at the sandbox origin, so the real
 * `SecretClient` runs against `ctx.url()`. It sends `SecretNewVersionCreated` on every set, and
 * `SecretNearExpiry` and `SecretExpired` for each secret's current version as the sandbox clock
 * reaches 30 days before its expiry and the expiry itself. Other sandbox services read it through
 * `reads`, as App Service reads Key Vault references.
 */
export function createKeyVault(options: KeyVaultOptions): SandboxKeyVault {
  let registered: { store: SecretStore; url: () => string } | undefined;
  const reads = vaultReads(
    options.vaultName,
    () => registered?.store,
    () => registered?.url() ?? '',
  );
  const module: KeyVaultModule = (app, ctx) => {
    const source = {
      vaultName: options.vaultName,
      resourceId: vaultResourceId(
        options.subscriptionId ?? '00000000-0000-0000-0000-000000000001',
        options.resourceGroup ?? 'shepherd-sandbox',
        options.vaultName,
      ),
    };
    const publisher = options.eventGrid ? new EventGridPublisher(options.eventGrid) : undefined;
    const publish = (type: SecretEventType, version: SecretVersion): void =>
      publisher?.publish(toSecretEvent(type, version, { ...source, vaultUrl: ctx.url() }, ctx.clock.now()));
    const expiry = new ExpiryWatch(ctx.clock, publish);
    // Key Vault purges a deleted secret on its scheduled purge date.
    const purges = new Map<string, () => void>();
    const stopPurge = (name: string): void => {
      purges.get(secretKey(name))?.();
      purges.delete(secretKey(name));
    };

    const onChange = (change: SecretChange): void => {
      switch (change.kind) {
        case 'created':
          publish(secretNewVersionCreated, change.version);
          expiry.watch(change.version);
          return;
        case 'updated':
          if (change.isLatest) expiry.watch(change.after);
          return;
        case 'deleted': {
          const { name } = change.deleted.latest;
          expiry.unwatch(name);
          purges.set(
            secretKey(name),
            ctx.clock.schedule(change.deleted.scheduledPurgeDate * 1000, () => store.purge(name)),
          );
          return;
        }
        case 'recovered':
          stopPurge(change.latest.name);
          expiry.watch(change.latest);
          return;
        case 'purged':
          stopPurge(change.name);
          return;
      }
    };
    const store = new SecretStore(() => ctx.clock.now(), onChange);
    registerKeyVaultRoutes(app, store, ctx);
    registered = { store, url: () => ctx.url() };

    return {
      idle: () => publisher?.idle() ?? Promise.resolve(),
      close: async () => {
        expiry.close();
        for (const name of [...purges.keys()]) stopPurge(name);
        await publisher?.close();
      },
    };
  };
  return { module, reads };
}
