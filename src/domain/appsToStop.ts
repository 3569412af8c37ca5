import { siteKey } from './siteKey';
import type { SiteName } from './siteKey';

/** A site whose slots a budget's critical threshold stops, and the targets it serves. */
export interface AppToStop {
  site: SiteName;
  targets: string[];
  /** The environments of those targets: lifting the freeze of any of them starts the site again. */
  environments: string[];
}

/**
 * The sites the critical threshold of a budget paying for `environments` stops: those of its targets
 * in non-production environments, each once, and never a site that any production target uses
 * (two targets may share a site through different slots).
 */
export function selectAppsToStop(
  targets: readonly { name: string; environment: string; site: SiteName }[],
  environments: readonly string[],
  isProduction: (environment: string) => boolean,
): AppToStop[] {
  const production = new Set(targets.filter((t) => isProduction(t.environment)).map((t) => siteKey(t.site)));
  const apps = new Map<string, AppToStop>();
  for (const target of targets) {
    if (!environments.includes(target.environment) || isProduction(target.environment)) continue;
    const key = siteKey(target.site);
    if (production.has(key)) continue;
    const { subscriptionId, resourceGroup, name } = target.site;
    const app = apps.get(key) ?? {
      site: { subscriptionId, resourceGroup, name },
      targets: [],
      environments: [],
    };
    app.targets.push(target.name);
    if (!app.environments.includes(target.environment)) app.environments.push(target.environment);
    apps.set(key, app);
  }
  return [...apps.values()];
}
