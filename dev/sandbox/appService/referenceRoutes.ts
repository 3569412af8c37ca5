import { armError } from '../arm';
import type { SiteRoute } from './module';
import type { Resolution } from './referenceResolution';
import { productionSlot } from './model';
import type { SandboxSite } from './site';

const path = '/config/configreferences/appsettings';

/**
 * The Key Vault references of a site's or slot's app settings, as App Service reports them
 * (`WebApps_GetAppSettingsKeyVaultReferences`, `WebApps_GetAppSettingKeyVaultReference` and their
 * slot variants), and the refresh that fetches them again (`POST …/appsettings/refresh`, docs:
 * app-service-key-vault-references, "Understand rotation"). Microsoft does not publish what the
 * refresh answers; the sandbox answers 200 with the references as they now stand.
 */
export function registerReferenceRoutes(route: SiteRoute): void {
  const list = (site: SandboxSite, slot: string, states: [string, Resolution][]): unknown => ({
    value: states.map(([name, resolution]) => toApiKVReference(site, slot, name, resolution)),
    nextLink: null,
  });
  route('GET', path, (site, slot) => list(site, slot, site.referenceStates(slot)));
  route('POST', `${path}/refresh`, (site, slot) => list(site, slot, site.refreshReferences(slot)));
  route('GET', `${path}/:setting`, (site, slot, req, reply) => {
    const wanted = (req.params.setting ?? '').toLowerCase();
    const found = site.referenceStates(slot).find(([name]) => name.toLowerCase() === wanted);
    if (!found) {
      return armError(
        reply,
        404,
        'NotFound',
        `The app setting '${req.params.setting ?? ''}' is not a Key Vault reference of ${site.definition.name}.`,
      );
    }
    return toApiKVReference(site, slot, found[0], found[1]);
  });
}

/**
 * An `ApiKVReference` resource. The identity is the app's system-assigned one, which App Service
 * uses for references unless `keyVaultReferenceIdentity` names another; the REST specification types
 * `identityType` as a `ManagedServiceIdentity`.
 */
export function toApiKVReference(
  site: SandboxSite,
  slot: string,
  setting: string,
  resolution: Resolution,
): Record<string, unknown> {
  return {
    id: `${site.resourceId(slot)}${path}/${setting}`,
    name: setting,
    type:
      slot === productionSlot
        ? 'Microsoft.Web/sites/config/configreferences'
        : 'Microsoft.Web/sites/slots/config/configreferences',
    properties: {
      reference: resolution.reference,
      status: resolution.status,
      vaultName: resolution.vaultName ?? null,
      secretName: resolution.secretName ?? null,
      secretVersion: resolution.secretVersion ?? null,
      identityType: { type: 'SystemAssigned' },
      details: resolution.details,
      source: 'KeyVault',
      activeVersion: resolution.activeVersion ?? null,
    },
  };
}
