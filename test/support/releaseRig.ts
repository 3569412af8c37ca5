import { SecretClient } from '@azure/keyvault-secrets';
import { acrPushDelivery } from './acrWebhook';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { ScaledClock } from '../../dev/host/clock';
import { LocalHost } from '../../dev/host/host';
import type { LocalSettings } from '../../dev/host/settings';
import { freePort } from '../../dev/freePort';
import type { SandboxSite } from '../../dev/sandbox/appService/site';
import type { SandboxIdentity } from '../../dev/sandbox/context';
import type { SiteRef } from '../../src/azure/siteRef';
import { sandboxConfigSchema } from '../../dev/sandbox/config';
import { generateLoad } from '../../dev/sandbox/loadGenerator';
import type { LoadSummary } from '../../dev/sandbox/loadGenerator';
import { startSandbox } from '../../dev/sandbox/sandbox';
import type { RunningSandbox } from '../../dev/sandbox/sandbox';
import { shepherdSettingsFor } from '../../dev/sandbox/shepherdSettings';
import { sandboxCredential } from './sandbox';
import { call, repoRoot, tempDir } from './testHost';

export const rigSubscription = '00000000-0000-0000-0000-0000000000e2';
export const rigRegistry = 'sandboxregistry.azurecr.io';

/** The rig's site `name`, as Shepherd names a site. */
export function rigSite(name: string): SiteRef {
  return { subscriptionId: rigSubscription, resourceGroup: 'rg', name };
}

/**
 * A canary target for the rig's site `name`: its staging slot, the repository `contoso/<name>`, steps
 * of 10, 50 and 100 %, warm-up and smoke checks on /health (the sample app's injected errors spare it,
 * so a faulty image reaches its canary). `fields` add to it or replace whole fields.
 */
export function rigTarget(name: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    site: { ...rigSite(name), slot: 'staging' },
    registry: { loginServer: rigRegistry, repository: `contoso/${name}` },
    canary: { steps: [10, 50, 100], intervalMinutes: 1 },
    warmUp: { healthPath: '/health', timeoutMinutes: 2 },
    smokeChecks: [{ path: '/health', expectStatus: 200 }],
    ...fields,
  };
}

export interface ReleaseRigOptions {
  /** Real seconds per sandbox minute, for the sandbox's metrics and the host's durable timers alike. */
  secondsPerMinute: number;
  /** Sites (each with a staging slot), the image production starts on, and their region (West Europe unless given). */
  sites: { name: string; image: string; location?: string }[];
  /** The targets file's `targets`, as JSON; a function when they name the sandbox's URL (a Key Vault secret). */
  targets: unknown[] | ((sandboxUrl: string) => unknown[]);
  /** More app settings for Shepherd, e.g. where backups go. */
  settings?: Record<string, string>;
  frozenEnvironments?: string;
  /** Start the local host in this process (default), or leave that to the test (`false`). */
  inProcessHost?: boolean;
  /** Sandbox seconds after a minute ends before its metrics show (default 0: at once). */
  metricsDelaySeconds?: number;
  /** The targets file's `secrets`, given the sandbox's URL (where their Key Vault secrets live). */
  secrets?: (sandboxUrl: string) => unknown[];
  /** Send the sandbox Key Vault's events to Shepherd's `onSecretExpiry`, as an Event Grid subscription would. */
  keyVaultEvents?: boolean;
  /**
   * Wire the sandbox's action group (`sandbox.actionGroup`: budget and metric alerts) to Shepherd's
   * `/api/hooks/azure-monitor?secret=…`, with the common alert schema on (`true`) or off (`'legacy'`).
   */
  actionGroup?: boolean | 'legacy';
  /** The targets file's `budgets` and `environments`. */
  budgets?: unknown[];
  environments?: unknown[];
  /** The sandbox time the rig's clock starts at (epoch ms); now by default. */
  clockStart?: number;
}

/**
 * Everything a release needs, end to end on one machine: the sandbox (App Service, metrics, registry
 * whose webhook calls Shepherd), Azurite for Shepherd's state, Shepherd's settings and targets, and
 * the local host running Shepherd, all on one scaled clock. Shepherd listens on `port` whether or not this process hosts it.
 */
export interface ReleaseRig {
  clock: ScaledClock;
  sandbox: RunningSandbox;
  /** The Azurite Shepherd keeps its state (the audit trail) in. */
  azurite: RunningAzurite;
  /** The sandbox's Entra application, which Shepherd signs in as. */
  identity: SandboxIdentity;
  port: number;
  url: string;
  /** The local host, when it runs in this process. */
  host: LocalHost | undefined;
  /** Shepherd's local.settings.json, written out for a host in another process. */
  settingsFile: string;
  dataDir: string;
  functionKey: string;
  webhookSecret: string;
  alertSecret: string;
  siteNamed(name: string): SandboxSite;
  /** Steady traffic on a site's production host name, until the rig stops; what it met, once it has. */
  loadOn(site: string, rate: number): Promise<LoadSummary>;
  stop(): Promise<void>;
}

export async function startReleaseRig(options: ReleaseRigOptions): Promise<ReleaseRig> {
  const clock = new ScaledClock(options.secondsPerMinute, options.clockStart);
  const identity = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: randomUUID() };
  const secrets = {
    functionKey: `fk-${randomUUID()}`,
    webhookSecret: `acr-${randomUUID()}`,
    alertSecret: `alert-${randomUUID()}`,
  };
  const port = await freePort();
  const eventGridKey = `eventgrid-${randomUUID()}`;
  const sandbox = await startSandbox(
    sandboxConfigSchema.parse({
      port: 0,
      metricsDelaySeconds: options.metricsDelaySeconds ?? 0,
      sites: options.sites.map((s) => ({
        subscriptionId: rigSubscription,
        resourceGroup: 'rg',
        name: s.name,
        image: s.image,
        ...(s.location === undefined ? {} : { location: s.location }),
      })),
      registry: {
        loginServer: rigRegistry,
        webhooks: [
          {
            name: 'shepherd',
            serviceUri: `http://localhost:${port}/api/hooks/acr`,
            customHeaders: { 'x-shepherd-webhook-secret': secrets.webhookSecret },
            actions: ['push'],
          },
        ],
      },
      keyVault: {
        vaultName: 'rig-vault',
        ...(options.keyVaultEvents === true
          ? {
              eventGrid: {
                endpoint: `http://localhost:${port}/runtime/webhooks/eventgrid?functionName=onSecretExpiry&code=${eventGridKey}`,
              },
            }
          : {}),
      },
      ...(options.actionGroup
        ? {
            actionGroup: {
              webhooks: [
                {
                  name: 'shepherd',
                  serviceUri: `http://localhost:${port}/api/hooks/azure-monitor?secret=${secrets.alertSecret}`,
                  useCommonAlertSchema: options.actionGroup !== 'legacy',
                },
              ],
            },
          }
        : {}),
    }),
    identity,
    clock,
  );
  const dataDir = tempDir('release-rig');
  const azurite = await startAzurite({ location: join(dataDir, 'azurite') });
  const targetsFile = join(dataDir, 'targets.json');
  const targets = typeof options.targets === 'function' ? options.targets(sandbox.url) : options.targets;
  writeFileSync(
    targetsFile,
    JSON.stringify({
      targets,
      secrets: options.secrets?.(sandbox.url) ?? [],
      budgets: options.budgets ?? [],
      environments: options.environments ?? [],
    }),
  );
  const settings: LocalSettings = {
    IsEncrypted: false,
    Values: {
      SHEPHERD_TASK_HUB: 'ShepherdRig',
      SHEPHERD_TARGETS_FILE: targetsFile,
      SHEPHERD_ACR_WEBHOOK_SECRET: secrets.webhookSecret,
      SHEPHERD_ALERT_WEBHOOK_SECRET: secrets.alertSecret,
      ...shepherdSettingsFor(sandbox.url),
      AZURE_TENANT_ID: identity.tenantId,
      AZURE_CLIENT_ID: identity.clientId,
      AZURE_CLIENT_SECRET: identity.clientSecret,
      SHEPHERD_STATE_STORAGE: azurite.connectionString,
      // Cleanups run when a test asks (a timer of the scaled clock would fire every few seconds).
      ...Object.fromEntries(
        [
          'SHEPHERD_REGISTRY_CLEANUP_SCHEDULE',
          'SHEPHERD_BACKUP_CLEANUP_SCHEDULE',
          'SHEPHERD_HISTORY_CLEANUP_SCHEDULE',
          'SHEPHERD_DRIFT_SCHEDULE',
        ].map((name) => [name, '0 0 0 29 2 *']),
      ),
      ...(options.frozenEnvironments ? { SHEPHERD_FROZEN_ENVIRONMENTS: options.frozenEnvironments } : {}),
      ...options.settings,
    },
    Keys: {
      master: `master-${secrets.functionKey}`,
      host: { default: secrets.functionKey },
      functions: {},
      // Its own durable system key, as in Azure, so a test can tell it from the master key.
      system: {
        durabletask_extension: `durable-${randomUUID()}`,
        eventgrid_extension: eventGridKey,
      },
    },
  };
  const settingsFile = join(dataDir, 'local.settings.json');
  writeFileSync(settingsFile, JSON.stringify(settings));
  const host =
    options.inProcessHost === false
      ? undefined
      : await LocalHost.start({ appDir: repoRoot, port, clock, dataDir: join(dataDir, 'host'), settings });

  const stopLoad = new AbortController();
  const loads: Promise<unknown>[] = [];
  const siteNamed = (name: string): SandboxSite => {
    const site = [...sandbox.appService.sites.values()].find((s) => s.definition.name === name);
    if (!site) throw new Error(`The rig has no site ${name}.`);
    return site;
  };
  return {
    clock,
    sandbox,
    azurite,
    identity,
    port,
    url: `http://127.0.0.1:${port}`,
    host,
    settingsFile,
    dataDir: join(dataDir, 'host'),
    ...secrets,
    siteNamed,
    loadOn(site, rate) {
      const load = generateLoad({
        url: `https://${siteNamed(site).hostName()}/`,
        rate,
        durationMs: 600_000,
        signal: stopLoad.signal,
      });
      loads.push(load);
      return load;
    },
    async stop() {
      stopLoad.abort();
      await Promise.all(loads);
      await host?.stop();
      await sandbox.close();
      await azurite.stop();
    },
  };
}

/**
 * Delivers an ACR webhook for a push of `repository:tag` at `digest` (a Docker v2 manifest unless
 * `mediaType` says otherwise) to the rig's Shepherd, as the registry would.
 */
export function deliverAcrPush(
  rig: ReleaseRig,
  push: { repository: string; digest: string; tag: string; mediaType?: string },
): ReturnType<typeof call> {
  return call(rig.url, '/api/hooks/acr', {
    method: 'POST',
    headers: { 'x-shepherd-webhook-secret': rig.webhookSecret },
    body: acrPushDelivery(push, rigRegistry),
  });
}

/** A client of the rig's sandbox Key Vault, signed in as the rig's identity: how a test writes secrets as a person would. */
export function rigVault(rig: ReleaseRig): SecretClient {
  return new SecretClient(rig.sandbox.url, sandboxCredential(rig.sandbox.url, rig.identity), {
    disableChallengeResourceVerification: true,
  });
}
