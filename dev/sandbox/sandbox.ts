import type { Clock } from '../host/clock';
import { ScaledClock } from '../host/clock';
import { actionGroupModule } from './actionGroup/module';
import type { SandboxActionGroup } from './actionGroup/module';
import { createAppService } from './appService/module';
import type { AppService } from './appService/module';
import { ensureCertificates } from './certificates';
import type { SandboxConfig } from './config';
import type { SandboxIdentity } from './context';
import { sandboxCertificateDir } from './ensureCa';
import { identityModule } from './identity';
import { createKeyVault } from './keyVault/module';
import { monitorModule } from './monitor';
import { registryModule } from './registry/module';
import type { SandboxRegistry } from './registry/module';
import { startSandboxServer } from './server';
import type { SandboxServer } from './server';

export interface RunningSandbox {
  url: string;
  clock: Clock;
  server: SandboxServer;
  appService: AppService;
  registry: SandboxRegistry;
  /** The action group budgets and metric alerts notify: send a budget or metric alert through it. */
  actionGroup: SandboxActionGroup;
  close(): Promise<void>;
}

/**
 * Starts the whole sandbox: Microsoft Entra tokens, App Service sites whose slots run the images the
 * registry holds (their app settings' Key Vault references read from the vault), Azure Monitor
 * metrics of their real traffic, the Container Registry, a Key Vault and an action group that sends
 * budget and metric alerts, on one HTTPS origin with the checkout's CA.
 */
export async function startSandbox(
  config: SandboxConfig,
  identity: SandboxIdentity,
  clock?: Clock,
): Promise<RunningSandbox> {
  const sandboxClock = clock ?? new ScaledClock(config.secondsPerMinute);
  const registry = registryModule({
    loginServer: config.registry.loginServer,
    webhooks: config.registry.webhooks,
    ...(config.registry.eventGrid ? { eventGrid: config.registry.eventGrid } : {}),
    images: config.sites.map((s) => s.image),
  });
  const firstSite = config.sites[0];
  const keyVault = createKeyVault({
    vaultName: config.keyVault.vaultName,
    ...(firstSite
      ? { subscriptionId: firstSite.subscriptionId, resourceGroup: firstSite.resourceGroup }
      : {}),
    ...(config.keyVault.eventGrid ? { eventGrid: config.keyVault.eventGrid } : {}),
  });
  const appService = createAppService({
    sites: config.sites,
    images: (image) => registry.faultsOf(image),
    vault: keyVault.reads,
  });
  const actionGroup = actionGroupModule({
    webhooks: config.actionGroup.webhooks,
    subscriptionId: firstSite?.subscriptionId ?? '00000000-0000-0000-0000-000000000000',
  });
  const server = await startSandboxServer({
    certificates: ensureCertificates(sandboxCertificateDir),
    clock: sandboxClock,
    identity,
    port: config.port,
    metricsDelayMs: config.metricsDelaySeconds * 1000,
    modules: [
      identityModule,
      appService.module,
      monitorModule(appService),
      registry.module,
      keyVault.module,
      actionGroup.module,
    ],
  });
  return {
    url: server.url,
    clock: sandboxClock,
    server,
    appService,
    registry,
    actionGroup,
    close: () => server.close(),
  };
}
