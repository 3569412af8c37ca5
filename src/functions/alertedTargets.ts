import { siteResourceId } from '../azure/siteRef';
import type { Target } from '../config';

/**
 * The targets a fired alert is about: those whose site, release slot or one of whose
 * `alertResources` (an Application Insights component, a Log Analytics workspace) the alert names
 * in `alertTargetIDs`. Azure does not keep the case of resource ids, so they are compared lower-cased.
 */
export function alertedTargets(targets: Target[], alertTargetIds: string[]): Target[] {
  const named = new Set(alertTargetIds.map((id) => id.toLowerCase()));
  return targets.filter((t) =>
    [siteResourceId(t.site), siteResourceId(t.site, t.site.slot), ...t.alertResources].some((id) =>
      named.has(id.toLowerCase()),
    ),
  );
}
