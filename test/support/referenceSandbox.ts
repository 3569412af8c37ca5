import { createHash } from 'node:crypto';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import type { TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { Clock } from '../../dev/host/clock';
import { createAppService } from '../../dev/sandbox/appService/module';
import type { AppService } from '../../dev/sandbox/appService/module';
import type { SandboxSite } from '../../dev/sandbox/appService/site';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import type { ImageFaults } from '../../dev/sandbox/imageFaults';
import { createKeyVault } from '../../dev/sandbox/keyVault/module';
import { httpsGetter } from './https';
import { sandboxCredential, startTestSandbox } from './sandbox';
import { waitFor } from './testHost';

export const vaultName = 'shepherd-kv';
export const sandboxImage = (tag: string): string => `sandboxregistry.azurecr.io/contoso/web:${tag}`;

/** What a slot's process holds for one app setting: a SHA-256 of the value, and which process it is. */
export interface HeldSetting {
  sha256: string | undefined;
  pid: number;
}

/**
 * A sandbox with one App Service site and the Key Vault its app settings' references read, driven
 * through the real SDK clients. Every slot runs `1.0.0` at first; `slow` takes 1.5 s to start listening.
 */
export interface ReferenceSandbox {
  url: string;
  /** Signs in to the sandbox as its own client. */
  credential: TokenCredential;
  arm: WebSiteManagementClient;
  secrets: SecretClient;
  appService: AppService;
  site: { subscriptionId: string; resourceGroup: string; name: string };
  /** The sandbox's own site object, to wait for a recycle to end. */
  sandboxSite(): SandboxSite;
  /** The host name a slot answers on (production without one). */
  hostOf(slot?: string): Promise<string>;
  /** What the slot's process holds for `setting`, once the slot answers. */
  held(slot: string | undefined, setting: string): Promise<HeldSetting>;
  /** Waits until the slot's process holds `value` for `setting`. */
  holds(slot: string | undefined, setting: string, value: string): Promise<HeldSetting>;
  /** An ARM call with a token, for what the SDK has no operation for. */
  armSend(method: string, path: string, apiVersion: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export async function startReferenceSandbox(
  options: { clock?: Clock; siteName?: string; subscriptionId?: string } = {},
): Promise<ReferenceSandbox> {
  const site = {
    subscriptionId: options.subscriptionId ?? '00000000-0000-0000-0000-00000000cafe',
    resourceGroup: 'shepherd-rg',
    name: options.siteName ?? 'contoso-web',
  };
  const images = new Map<string, ImageFaults>([
    [sandboxImage('1.0.0'), imageFaultsSchema.parse({})],
    [sandboxImage('slow'), imageFaultsSchema.parse({ startDelayMs: '1500' })],
  ]);
  const vault = createKeyVault({ vaultName });
  const appService = createAppService({
    sites: [{ ...site, location: 'West Europe', slots: ['staging', 'qa'], image: sandboxImage('1.0.0') }],
    images: (ref) => images.get(ref),
    vault: vault.reads,
  });
  const sandbox = await startTestSandbox([appService.module, vault.module], options.clock);
  const credential = sandboxCredential(sandbox.url, sandbox.identity);
  const arm = new WebSiteManagementClient(credential, site.subscriptionId, { endpoint: sandbox.url });
  const secrets = new SecretClient(sandbox.url, credential, { disableChallengeResourceVerification: true });
  const http = httpsGetter();
  for (const slot of ['staging', 'qa']) {
    await arm.webApps.updateConfigurationSlot(site.resourceGroup, site.name, slot, {
      linuxFxVersion: `DOCKER|${sandboxImage('1.0.0')}`,
    });
  }

  const hostOf = async (slot?: string): Promise<string> => {
    const resource = slot
      ? await arm.webApps.getSlot(site.resourceGroup, site.name, slot)
      : await arm.webApps.get(site.resourceGroup, site.name);
    return resource.defaultHostName ?? '';
  };
  const held = (slot: string | undefined, setting: string): Promise<HeldSetting> =>
    waitFor(`${slot ?? 'production'} to answer`, async () => {
      const res = await http.get(`https://${await hostOf(slot)}/settings/${setting}`).catch(() => undefined);
      if (res?.status !== 200 && res?.status !== 404) return undefined;
      const body = JSON.parse(res.body) as { sha256?: string; pid: number };
      return { sha256: body.sha256, pid: body.pid };
    });
  const holds = (slot: string | undefined, setting: string, value: string): Promise<HeldSetting> =>
    waitFor(`${slot ?? 'production'} to hold the expected ${setting}`, async () => {
      const now = await held(slot, setting);
      return now.sha256 === sha256(value) ? now : undefined;
    });
  const armSend = async (
    method: string,
    path: string,
    apiVersion: string,
  ): Promise<{ status: number; body: unknown }> => {
    const token = (await credential.getToken('https://management.azure.com/.default')).token;
    const res = await fetch(`${sandbox.url}${path}?api-version=${apiVersion}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    url: sandbox.url,
    credential,
    arm,
    secrets,
    appService,
    site,
    sandboxSite: () => {
      const found = [...appService.sites.values()][0];
      if (!found) throw new Error('The sandbox has no site.');
      return found;
    },
    hostOf,
    held,
    holds,
    armSend,
    close: async () => {
      http.close();
      await sandbox.close();
    },
  };
}

/** `@Microsoft.KeyVault(SecretUri=…)` for a secret of the sandbox vault, at its Azure host name. */
export function secretUriReference(secret: string, version = ''): string {
  return `@Microsoft.KeyVault(SecretUri=https://${vaultName}.vault.azure.net/secrets/${secret}/${version})`;
}
