/** What one slot (production included) of a sandbox site is configured with. */
export interface SlotConfig {
  state: 'Running' | 'Stopped';
  /** `siteConfig` as ARM shows it: `linuxFxVersion`, `experiments.rampUpRules`, `healthCheckPath`, … */
  siteConfig: Record<string, unknown>;
  appSettings: Record<string, string>;
}

/** Setting names that stay with their slot in a swap (`config/slotConfigNames`). */
export interface SlotConfigNames {
  appSettingNames: string[];
  connectionStringNames: string[];
  azureStorageConfigNames: string[];
}

export const productionSlot = 'production';

/** A new Linux container slot's site config, with App Service's defaults. */
export function defaultSiteConfig(): Record<string, unknown> {
  return {
    numberOfWorkers: 1,
    defaultDocuments: [],
    netFrameworkVersion: 'v4.0',
    phpVersion: '',
    pythonVersion: '',
    nodeVersion: '',
    powerShellVersion: '',
    linuxFxVersion: '',
    requestTracingEnabled: false,
    remoteDebuggingEnabled: false,
    httpLoggingEnabled: false,
    acrUseManagedIdentityCreds: true,
    logsDirectorySizeLimit: 35,
    detailedErrorLoggingEnabled: false,
    use32BitWorkerProcess: false,
    webSocketsEnabled: false,
    alwaysOn: true,
    appCommandLine: '',
    managedPipelineMode: 'Integrated',
    virtualApplications: [{ virtualPath: '/', physicalPath: 'site\\wwwroot', preloadEnabled: true }],
    loadBalancing: 'LeastRequests',
    experiments: { rampUpRules: [] },
    autoHealEnabled: false,
    vnetName: '',
    vnetRouteAllEnabled: false,
    vnetPrivatePortsCount: 0,
    http20Enabled: true,
    minTlsVersion: '1.2',
    scmMinTlsVersion: '1.2',
    ftpsState: 'FtpsOnly',
    functionAppScaleLimit: 0,
    functionsRuntimeScaleMonitoringEnabled: false,
    minimumElasticInstanceCount: 0,
    azureStorageAccounts: {},
  };
}

export function siteResourceId(
  subscriptionId: string,
  resourceGroup: string,
  site: string,
  slot = productionSlot,
): string {
  const base = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${site}`;
  return slot === productionSlot ? base : `${base}/slots/${slot}`;
}

/** The image a slot runs, from `linuxFxVersion` (`DOCKER|registry/repo:tag`). */
export function imageOf(config: SlotConfig): string | undefined {
  const fx = config.siteConfig.linuxFxVersion;
  if (typeof fx !== 'string' || !fx.toUpperCase().startsWith('DOCKER|')) return undefined;
  return fx.slice('DOCKER|'.length) || undefined;
}

/** PATCH of `config/web`: the given top-level properties replace the current ones, the rest stay. */
export function patchSiteConfig(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = value;
  return merged;
}

/** The site-config properties that move with the content in a swap: the container and its command. */
const swappedSiteConfig = ['linuxFxVersion', 'appCommandLine'];

/**
 * What a swap does to two slots' configuration, as App Service does it: the container and every app
 * setting that is not slot-sticky move; sticky settings, routing rules and the rest stay put.
 */
export function swapConfigs(
  source: SlotConfig,
  target: SlotConfig,
  sticky: SlotConfigNames,
): { source: SlotConfig; target: SlotConfig } {
  const isSticky = (name: string): boolean => sticky.appSettingNames.includes(name);
  const moved = (from: SlotConfig, to: SlotConfig): SlotConfig => {
    const siteConfig = { ...to.siteConfig };
    for (const key of swappedSiteConfig) {
      if (key in from.siteConfig) siteConfig[key] = from.siteConfig[key];
      else Reflect.deleteProperty(siteConfig, key);
    }
    const appSettings: Record<string, string> = {};
    for (const [name, value] of Object.entries(to.appSettings)) if (isSticky(name)) appSettings[name] = value;
    for (const [name, value] of Object.entries(from.appSettings))
      if (!isSticky(name)) appSettings[name] = value;
    return { ...to, siteConfig, appSettings };
  };
  return { source: moved(target, source), target: moved(source, target) };
}
