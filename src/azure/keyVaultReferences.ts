import type { ApiKVReference } from '@azure/arm-appservice';
import type { HttpClient, RestError } from '@azure/core-rest-pipeline';
import { z } from 'zod';
import { azureCall } from './azureOperationError';
import { sdk } from './sdk';
import type { SiteRef } from './siteRef';
import { deploymentSlot, describeSlot, siteResourceId } from './siteRef';
import type { WebAppsClients } from './webAppsClients';

/** How one app setting's Key Vault reference stands, as App Service reports it. */
export interface KeyVaultReferenceState {
  /** The app setting whose value is the reference. */
  setting: string;
  /** The reference as the setting writes it, `@Microsoft.KeyVault(SecretUri=…)` or `(VaultName=…;SecretName=…)`. */
  reference: string | undefined;
  /**
   * `Resolved` when App Service read the secret; otherwise why not (`SecretNotFound`,
   * `AccessToKeyVaultDenied`, … : App Service's `ResolveStatus`). Undefined when it does not say.
   */
  status: string | undefined;
  vault: string | undefined;
  secret: string | undefined;
  /** The version the reference pins; undefined when it follows the latest version. */
  pinnedVersion: string | undefined;
  /** The version App Service resolved the reference to. */
  activeVersion: string | undefined;
  /** App Service's explanation of the status. */
  details: string | undefined;
}

/**
 * The Key Vault references of a site's app settings (a slot's, or production's without one), and
 * how a new secret version reaches the running app. What Microsoft documents: App Service caches the
 * resolved values and fetches them again every 24 hours; a configuration change restarts the app and
 * fetches every referenced secret at once; a POST to
 * `…/config/configreferences/appsettings/refresh` forces their resolution (docs:
 * app-service-key-vault-references, "Understand rotation"). App settings reach a container as its
 * environment when it starts, so the running app sees a new value only once a new process starts.
 */
export interface KeyVaultReferences {
  /**
   * Makes App Service fetch every reference again now, so that {@link references} report the new
   * versions and the next start of the app gets them. It does not restart the app: the running
   * process keeps the values it started with.
   */
  refresh(site: SiteRef, slot?: string): Promise<void>;
  /** How each app setting that is a Key Vault reference stands. */
  references(site: SiteRef, slot?: string): Promise<KeyVaultReferenceState[]>;
  /**
   * Starts the app again on freshly fetched references without failing a request, the way a
   * settings change does: App Service on Linux recycles a container for an app settings change
   * overlapped (the new container serves only once it answers; the old one serves until then),
   * where a plain restart stops the app first. It does so by setting {@link reloadMarkerSetting} to
   * the current time; App Service does the rest after the call returns.
   */
  reload(site: SiteRef, slot?: string): Promise<void>;
}

/** The app setting {@link KeyVaultReferences.reload} changes to make App Service apply the settings again. */
export const reloadMarkerSetting = 'SHEPHERD_SETTINGS_RELOADED_AT';

/** The api-version Microsoft documents for the refresh, which the REST specification does not list. */
const refreshApiVersion = '2022-03-01';

/** KeyVaultReferences over `@azure/arm-appservice`, and its HTTP pipeline for the refresh. */
export class AppServiceKeyVaultReferences implements KeyVaultReferences {
  #http: HttpClient | undefined;

  constructor(
    private readonly clients: WebAppsClients,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async refresh(site: SiteRef, slot?: string): Promise<void> {
    return azureCall(`refresh the Key Vault references of ${describeSlot(site, slot)}`, async () => {
      const url = `${this.clients.endpoint}${siteResourceId(site, slot)}/config/configreferences/appsettings/refresh?api-version=${refreshApiVersion}`;
      // The SDK has no operation for it; the client's own pipeline signs it and retries as for the rest.
      const { createDefaultHttpClient, createPipelineRequest } = sdk('@azure/core-rest-pipeline');
      this.#http ??= createDefaultHttpClient();
      const response = await this.clients
        .client(site)
        .pipeline.sendRequest(this.#http, createPipelineRequest({ url, method: 'POST' }));
      if (response.status >= 300) throw fromArmError(response.status, response.bodyAsText ?? undefined);
    });
  }

  async references(site: SiteRef, slot?: string): Promise<KeyVaultReferenceState[]> {
    return azureCall(`read the Key Vault references of ${describeSlot(site, slot)}`, async () => {
      const webApps = this.clients.for(site);
      const name = deploymentSlot(slot);
      const pages =
        name === undefined
          ? webApps.listAppSettingsKeyVaultReferences(site.resourceGroup, site.name)
          : webApps.listAppSettingsKeyVaultReferencesSlot(site.resourceGroup, site.name, name);
      const states: KeyVaultReferenceState[] = [];
      for await (const reference of pages) states.push(fromApiKVReference(reference));
      return states;
    });
  }

  async reload(site: SiteRef, slot?: string): Promise<void> {
    return azureCall(`reload the app settings of ${describeSlot(site, slot)}`, async () => {
      const webApps = this.clients.for(site);
      const name = deploymentSlot(slot);
      const current =
        name === undefined
          ? await webApps.listApplicationSettings(site.resourceGroup, site.name)
          : await webApps.listApplicationSettingsSlot(site.resourceGroup, site.name, name);
      // ARM replaces the whole set on every write, so the settings go back as they are, plus the marker.
      const properties = { ...current.properties, [reloadMarkerSetting]: this.now().toISOString() };
      if (name === undefined)
        await webApps.updateApplicationSettings(site.resourceGroup, site.name, { properties });
      else await webApps.updateApplicationSettingsSlot(site.resourceGroup, site.name, name, { properties });
    });
  }
}

const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value === null || value === '' ? undefined : value));

/** What Shepherd reads of an `ApiKVReference`; App Service may leave any property out, or null. */
const apiKVReferenceSchema = z.object({
  id: optionalText,
  name: optionalText,
  reference: optionalText,
  status: optionalText,
  vaultName: optionalText,
  secretName: optionalText,
  secretVersion: optionalText,
  activeVersion: optionalText,
  details: optionalText,
});

/** A reference's state from App Service's `ApiKVReference`; the setting is its name, or its id's last part. */
export function fromApiKVReference(reference: ApiKVReference): KeyVaultReferenceState {
  const parsed = apiKVReferenceSchema.parse(reference);
  const setting = parsed.name ?? parsed.id?.split('/').at(-1);
  if (!setting) throw new TypeError('App Service reported a Key Vault reference without a setting name.');
  return {
    setting,
    reference: parsed.reference,
    status: parsed.status,
    vault: parsed.vaultName,
    secret: parsed.secretName,
    pinnedVersion: parsed.secretVersion,
    activeVersion: parsed.activeVersion,
    details: parsed.details,
  };
}

const armErrorBody = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }),
});

/** ARM's `{"error":{"code","message"}}` answer as the RestError the SDK's operations throw. */
function fromArmError(status: number, body: string | undefined): RestError {
  let parsed: z.infer<typeof armErrorBody> | undefined;
  try {
    parsed = armErrorBody.parse(JSON.parse(body ?? ''));
  } catch {
    parsed = undefined;
  }
  const code = parsed?.error.code;
  return new (sdk('@azure/core-rest-pipeline').RestError)(
    parsed?.error.message ?? `ARM answered ${status}.`,
    {
      statusCode: status,
      ...(code === undefined ? {} : { code }),
    },
  );
}
