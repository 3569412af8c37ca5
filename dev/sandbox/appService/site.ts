import type { SandboxContext } from '../context';
import { startFrontEnd } from '../frontEnd';
import type { FrontEnd } from '../frontEnd';
import { pingUntil } from '../httpPing';
import type { VaultReads } from '../keyVault/reads';
import type { RampUpRule } from '../routing';
import {
  defaultSiteConfig,
  imageOf,
  patchSiteConfig,
  productionSlot,
  siteResourceId,
  swapConfigs,
} from './model';
import type { SlotConfigNames } from './model';
import type { Resolution } from './referenceResolution';
import { SlotRuntime } from './slotRuntime';
import type { ImageLookup } from './slotRuntime';

export type { ImageLookup } from './slotRuntime';

export interface SiteDefinition {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** As ARM shows it: the region's display name, e.g. `West Europe`. */
  location: string;
  /** Deployment slots besides production. */
  slots: string[];
  /** The image production runs at start, if any. */
  image?: string;
  tags?: Record<string, string>;
}

/**
 * One App Service site of the sandbox: each slot runs its configured image as a real process, one
 * front end splits the production host name's traffic by the routing rules, and each slot is also
 * reachable on its own host name.
 */
export class SandboxSite {
  readonly slots = new Map<string, SlotRuntime>();
  tags: Record<string, string>;
  /** When any slot's configuration last changed, as `lastModifiedTimeUtc` shows it. */
  lastModified: string;
  slotConfigNames: SlotConfigNames = {
    appSettingNames: [],
    connectionStringNames: [],
    azureStorageConfigNames: [],
  };
  #frontEnd: FrontEnd | undefined;
  /** App settings of slots in swap preview, as they were before `applySlotConfig`. */
  readonly #previewed = new Map<string, Record<string, string>>();

  constructor(
    readonly definition: SiteDefinition,
    private readonly ctx: SandboxContext,
    images: ImageLookup,
    /** The vault Key Vault references read; without one, every reference names a vault not found. */
    vault?: VaultReads,
  ) {
    this.tags = { ...definition.tags };
    this.lastModified = new Date(ctx.clock.now()).toISOString();
    for (const slot of [productionSlot, ...definition.slots]) {
      const siteConfig = defaultSiteConfig();
      if (slot === productionSlot && definition.image)
        siteConfig.linuxFxVersion = `DOCKER|${definition.image}`;
      const config = { state: 'Running' as const, siteConfig, appSettings: {} };
      this.slots.set(slot, new SlotRuntime(slot, config, images, ctx.clock, vault));
    }
  }

  async start(): Promise<void> {
    const tls = { cert: this.ctx.tls.cert, key: this.ctx.tls.key };
    this.#frontEnd = await startFrontEnd(this, this.ctx.metrics, tls);
    for (const [name, slot] of this.slots) {
      slot.direct =
        name === productionSlot ? this.#frontEnd : await startFrontEnd(this, this.ctx.metrics, tls, name);
      await slot.restart();
    }
  }

  async close(): Promise<void> {
    for (const [name, slot] of this.slots) {
      await slot.stop();
      if (name !== productionSlot) await slot.direct?.close();
    }
    await this.#frontEnd?.close();
  }

  resourceId(slot = productionSlot): string {
    const d = this.definition;
    return siteResourceId(d.subscriptionId, d.resourceGroup, d.name, slot);
  }

  /**
   * The region Azure's regional endpoints name the site's location by: ARM shows a location as its
   * display name ("West Europe"), the region's name is that without spaces, in lower case.
   */
  get region(): string {
    return this.definition.location.replace(/\s+/g, '').toLowerCase();
  }

  /** The slot's host name and port, as `defaultHostName` shows it. */
  hostName(slot = productionSlot): string {
    return new URL(this.slots.get(slot)?.direct?.url ?? 'https://localhost').host;
  }

  slot(name: string): SlotRuntime | undefined {
    return this.slots.get(name.toLowerCase() === productionSlot ? productionSlot : name);
  }

  rules(): RampUpRule[] {
    const experiments = this.slots.get(productionSlot)?.config.siteConfig.experiments as
      { rampUpRules?: RampUpRule[] } | undefined;
    return experiments?.rampUpRules ?? [];
  }

  backend(target: string): { port: number | undefined; stopped: boolean; resourceId: string } | undefined {
    const name = target === 'self' ? productionSlot : target;
    const slot = this.slots.get(name);
    if (!slot) return undefined;
    const stopped = slot.config.state === 'Stopped';
    return { port: stopped ? undefined : slot.process.port, stopped, resourceId: this.resourceId(name) };
  }

  /** Applies new site config (PATCH merges, PUT replaces); a new image restarts the slot on it. */
  async updateSiteConfig(
    slotName: string,
    properties: Record<string, unknown>,
    replace: boolean,
  ): Promise<void> {
    this.#touch();
    const slot = this.#require(slotName);
    const before = imageOf(slot.config);
    slot.config = {
      ...slot.config,
      siteConfig: replace ? { ...properties } : patchSiteConfig(slot.config.siteConfig, properties),
    };
    if (imageOf(slot.config) === before) return;
    slot.references.clear();
    await slot.restart();
  }

  /**
   * Replaces the app settings. As in App Service, that fetches every Key Vault reference anew (docs:
   * app-service-key-vault-references: a configuration change restarts the app and fetches every
   * referenced secret at once) and recycles the slot's app, overlapped: the
   * new settings reach a new process while the old one keeps serving. Like App Service's, the call
   * returns before the recycle has finished.
   */
  replaceAppSettings(slotName: string, settings: Record<string, string>): void {
    this.#touch();
    const slot = this.#require(slotName);
    slot.config = { ...slot.config, appSettings: { ...settings } };
    slot.references.clear();
    void slot.recycle();
  }

  /**
   * `configreferences/appsettings/refresh`: fetches every Key Vault reference of the slot again and
   * returns how each stands. The running process keeps the values it started with: app settings
   * reach a container as its environment (`docker run --env`) when it starts (docs: configure-common),
   * and the refresh is documented to force the references' resolution, not to restart the app. The
   * next start, of any kind, gets the fresh values.
   */
  refreshReferences(slotName: string): [string, Resolution][] {
    return this.#require(slotName).refreshReferences();
  }

  /** How each Key Vault reference of the slot's app settings stands. */
  referenceStates(slotName: string): [string, Resolution][] {
    return this.#require(slotName).referenceStates();
  }

  /**
   * Restarts the slot's app: the process stops, then starts on the references App Service holds,
   * which a restart alone does not fetch again while they are younger than a day.
   */
  async restart(slotName: string): Promise<void> {
    await this.#require(slotName).restart();
  }

  /**
   * Stops or starts one slot's app, as ARM's Stop/Start (and StopSlot/StartSlot) do: each slot has its
   * own `state`, so stopping the site stops production alone (WebApps.json: the site's and each slot's
   * `properties.state`). A stopped slot's process ends; starting it runs its image again. Repeating
   * either changes nothing.
   */
  async setState(slotName: string, state: 'Running' | 'Stopped'): Promise<void> {
    this.#touch();
    const slot = this.#require(slotName);
    slot.config = { ...slot.config, state };
    if (state === 'Stopped') await slot.stop();
    else if (slot.process.port === undefined) await slot.restart();
  }

  /**
   * Swaps two slots the way App Service does: the source is warmed up on its health path first (a
   * source that never answers fails the swap and changes nothing); then the containers and non-sticky
   * settings trade places, with their running processes, so traffic never hits a cold app.
   */
  async swap(sourceName: string, targetName: string, warmUpTimeoutMs: number): Promise<void> {
    const source = this.#require(sourceName);
    const target = this.#require(targetName);
    // App Service runs one operation on a site at a time: a settings change in progress ends first.
    await Promise.all([source.process.settled(), target.process.settled()]);
    const path = source.config.appSettings.WEBSITE_SWAP_WARMUP_PING_PATH ?? '/';
    const statuses = (source.config.appSettings.WEBSITE_SWAP_WARMUP_PING_STATUSES ?? '')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
    const warm = await pingUntil(() => source.process.port, path, { statuses, timeoutMs: warmUpTimeoutMs });
    if (!warm.ok) {
      const answer = warm.status === undefined ? 'did not answer' : `answered ${warm.status}`;
      throw new Error(`The slot did not warm up: ${path} ${answer} within ${warmUpTimeoutMs} ms.`);
    }
    const swapped = swapConfigs(source.config, target.config, this.slotConfigNames);
    source.config = swapped.source;
    target.config = swapped.target;
    [source.process, target.process] = [target.process, source.process];
    [source.references, target.references] = [target.references, source.references];
    this.#touch();
  }

  /**
   * Swap with preview, phase one: the slot takes the target's slot-sticky settings and restarts on
   * them, so it can be checked as it will run after the swap. `resetSlotConfig` undoes it.
   */
  applySlotConfig(slotName: string, targetName: string): void {
    const slot = this.#require(slotName);
    const target = this.#require(targetName);
    this.#previewed.set(slotName, slot.config.appSettings);
    const appSettings = { ...slot.config.appSettings };
    for (const name of this.slotConfigNames.appSettingNames) {
      const value = target.config.appSettings[name];
      if (value === undefined) Reflect.deleteProperty(appSettings, name);
      else appSettings[name] = value;
    }
    this.replaceAppSettings(slotName, appSettings);
  }

  resetSlotConfig(slotName: string): void {
    const original = this.#previewed.get(slotName);
    if (!original) return;
    this.#previewed.delete(slotName);
    this.replaceAppSettings(slotName, original);
  }

  #touch(): void {
    this.lastModified = new Date(this.ctx.clock.now()).toISOString();
  }

  #require(slotName: string): SlotRuntime {
    const slot = this.slot(slotName);
    if (!slot) throw new Error(`no slot ${slotName}`);
    return slot;
  }
}
