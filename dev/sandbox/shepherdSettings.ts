import { regionalMetricsPath } from './monitor';

/**
 * The app settings that point Shepherd at a running sandbox at `sandboxUrl`: tokens, ARM, each
 * region's metrics and the registries from it, and the switch that lets Shepherd accept its localhost endpoints.
 */
export function shepherdSettingsFor(sandboxUrl: string): Record<string, string> {
  return {
    SHEPHERD_SANDBOX: 'true',
    AZURE_AUTHORITY_HOST: sandboxUrl,
    SHEPHERD_ARM_ENDPOINT: sandboxUrl,
    SHEPHERD_METRICS_ENDPOINT: `${sandboxUrl}${regionalMetricsPath('{region}')}`,
    SHEPHERD_REGISTRY_ENDPOINT: sandboxUrl,
  };
}
