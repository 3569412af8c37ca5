import { request } from 'node:http';
import type { SandboxContext } from '../context';
import { startFrontEnd } from '../frontEnd';
import type { FrontEnd } from '../frontEnd';
import type { ImageFaults } from '../imageFaults';
import type { RampUpRule } from '../routing';
import { SlotProcess } from '../slotProcess';
import {
  defaultSiteConfig,
  imageOf,
  patchSiteConfig,
  productionSlot,
  siteResourceId,
  swapConfigs,
} from './model';
import type { SlotConfig, SlotConfigNames } from './model';

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

/** Looks up how a pushed image behaves; undefined when the registry has no such image. */
export type ImageLookup = (image: string) => ImageFaults | undefined;

interface SlotRuntime {
  config: SlotConfig;
  process: SlotProcess;
  /** The slot's own host name (`<site>-<slot>` in Azure). */
  direct?: FrontEnd;
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
    private readonly images: ImageLookup,
  ) {
    this.tags = { ...definition.tags };
    this.lastModified = new Date(ctx.clock.now()).toISOString();
    for (const slot of [productionSlot, ...definition.slots]) {
      const siteConfig = defaultSiteConfig();
      if (slot === productionSlot && definition.image)
        siteConfig.linuxFxVersion = `DOCKER|${definition.image}`;
      this.slots.set(slot, {
        config: { state: 'Running', siteConfig, appSettings: {} },
        process: new SlotProcess(slot),
      });
    }
  }

  async start(): Promise<void> {
    const tls = { cert: this.ctx.tls.cert, key: this.ctx.tls.key };
    this.#frontEnd = await startFrontEnd(this, this.ctx.metrics, tls);
    for (const [name, slot] of this.slots) {
      slot.direct =
        name === productionSlot ? this.#frontEnd : await startFrontEnd(this, this.ctx.metrics, tls, name);
      await this.#run(name);
    }
  }

  async close(): Promise<void> {
    for (const [name, slot] of this.slots) {
      await slot.process.stop();
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

  backend(target: string): { port: number | undefined; resourceId: string } | undefined {
    const name = target === 'self' ? productionSlot : target;
    const slot = this.slots.get(name);
    if (!slot) return undefined;
    return {
      port: slot.config.state === 'Running' ? slot.process.port : undefined,
      resourceId: this.resourceId(name),
    };
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
    if (imageOf(slot.config) !== before) await this.#run(slotName);
  }

  /** Replaces the app settings; like App Service, that restarts the slot. */
  async replaceAppSettings(slotName: string, settings: Record<string, string>): Promise<void> {
    this.#touch();
    const slot = this.#require(slotName);
    slot.config = { ...slot.config, appSettings: { ...settings } };
    await this.#run(slotName);
  }

  async restart(slotName: string): Promise<void> {
    await this.#run(slotName);
  }

  async setState(slotName: string, state: 'Running' | 'Stopped'): Promise<void> {
    this.#touch();
    const slot = this.#require(slotName);
    slot.config = { ...slot.config, state };
    if (state === 'Stopped') await slot.process.stop();
    else if (slot.process.port === undefined) await this.#run(slotName);
  }

  /**
   * Swaps two slots the way App Service does: the source is warmed up on its health path first (a
   * source that never answers fails the swap and changes nothing); then the containers and non-sticky
   * settings trade places, with their running processes, so traffic never hits a cold app.
   */
  async swap(sourceName: string, targetName: string, warmUpTimeoutMs: number): Promise<void> {
    const source = this.#require(sourceName);
    const target = this.#require(targetName);
    const path = source.config.appSettings.WEBSITE_SWAP_WARMUP_PING_PATH ?? '/';
    const statuses = (source.config.appSettings.WEBSITE_SWAP_WARMUP_PING_STATUSES ?? '')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
    await warmUp(source.process, path, statuses, warmUpTimeoutMs);
    const swapped = swapConfigs(source.config, target.config, this.slotConfigNames);
    const sourceProcess = source.process;
    source.config = swapped.source;
    target.config = swapped.target;
    source.process = target.process;
    target.process = sourceProcess;
    this.#touch();
  }

  /**
   * Swap with preview, phase one: the slot takes the target's slot-sticky settings and restarts on
   * them, so it can be checked as it will run after the swap. `resetSlotConfig` undoes it.
   */
  async applySlotConfig(slotName: string, targetName: string): Promise<void> {
    const slot = this.#require(slotName);
    const target = this.#require(targetName);
    this.#previewed.set(slotName, slot.config.appSettings);
    const appSettings = { ...slot.config.appSettings };
    for (const name of this.slotConfigNames.appSettingNames) {
      const value = target.config.appSettings[name];
      if (value === undefined) Reflect.deleteProperty(appSettings, name);
      else appSettings[name] = value;
    }
    await this.replaceAppSettings(slotName, appSettings);
  }

  async resetSlotConfig(slotName: string): Promise<void> {
    const original = this.#previewed.get(slotName);
    if (!original) return;
    this.#previewed.delete(slotName);
    await this.replaceAppSettings(slotName, original);
  }

  #touch(): void {
    this.lastModified = new Date(this.ctx.clock.now()).toISOString();
  }

  async #run(slotName: string): Promise<void> {
    const slot = this.#require(slotName);
    const image = imageOf(slot.config);
    const faults = image === undefined ? undefined : this.images(image);
    // An image the registry does not have cannot be pulled: the slot stays down, as in Azure.
    if (slot.config.state !== 'Running' || image === undefined || faults === undefined) {
      await slot.process.stop();
      return;
    }
    await slot.process.run(image, faults);
  }

  #require(slotName: string): SlotRuntime {
    const slot = this.slot(slotName);
    if (!slot) throw new Error(`no slot ${slotName}`);
    return slot;
  }
}

async function warmUp(
  process: SlotProcess,
  path: string,
  statuses: number[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await ping(process.port, path);
    if (status !== undefined && (statuses.length === 0 || statuses.includes(status))) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The slot did not warm up: ${path} ${status === undefined ? 'did not answer' : `answered ${status}`} within ${timeoutMs} ms.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function ping(port: number | undefined, path: string): Promise<number | undefined> {
  if (port === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}
