import type { Clock } from '../../host/clock';
import type { FrontEnd } from '../frontEnd';
import type { ImageFaults } from '../imageFaults';
import type { VaultReads } from '../keyVault/reads';
import { SlotProcess } from '../slotProcess';
import { parseKeyVaultReference } from './keyVaultReference';
import { imageOf } from './model';
import type { SlotConfig } from './model';
import { ReferenceCache, referenceCacheMs } from './referenceCache';
import { resolveReference } from './referenceResolution';
import type { Resolution } from './referenceResolution';

/** Looks up how a pushed image behaves; undefined when the registry has no such image. */
export type ImageLookup = (image: string) => ImageFaults | undefined;

/** `WEBSITES_CONTAINER_START_TIME_LIMIT`'s default and most, in seconds (Azure/app-service-linux-docs). */
const startLimit = { defaultSeconds: 230, maxSeconds: 1800 };

/**
 * One slot of a sandbox site: its configuration, the process that runs it, and App Service's cache of
 * its Key Vault references. The process and the cache belong together and trade places in a swap.
 */
export class SlotRuntime {
  process: SlotProcess;
  references: ReferenceCache;
  /** The slot's own host name (`<site>-<slot>` in Azure). */
  direct?: FrontEnd;
  #cancelRefetch: (() => void) | undefined;

  constructor(
    name: string,
    public config: SlotConfig,
    private readonly images: ImageLookup,
    private readonly clock: Clock,
    vault: VaultReads | undefined,
  ) {
    this.process = new SlotProcess(name);
    this.references = new ReferenceCache(
      (text) => resolveReference(text, vault),
      () => clock.now(),
    );
  }

  /** Starts the app afresh (a restart: requests in between fail), or stops it when it cannot run. */
  async restart(): Promise<void> {
    const launch = this.#launch();
    this.#scheduleRefetch();
    if (!launch) await this.process.stop();
    else await this.process.run(launch.image, launch.faults, launch.settings);
  }

  /** Replaces the app by an overlapped recycle (see {@link SlotProcess.recycle}). */
  async recycle(): Promise<void> {
    const launch = this.#launch();
    this.#scheduleRefetch();
    if (!launch) {
      await this.process.stop();
      return;
    }
    const limit = Number(this.config.appSettings.WEBSITES_CONTAINER_START_TIME_LIMIT);
    const seconds = limit > 0 ? Math.min(limit, startLimit.maxSeconds) : startLimit.defaultSeconds;
    await this.process.recycle(launch.image, launch.faults, launch.settings, seconds * 1000);
  }

  async stop(): Promise<void> {
    this.#cancelRefetch?.();
    this.#cancelRefetch = undefined;
    await this.process.stop();
  }

  /** Fetches every Key Vault reference again, now, and returns how each stands. */
  refreshReferences(): [string, Resolution][] {
    this.references.refresh(this.config.appSettings);
    return this.references.states(this.config.appSettings);
  }

  /** How each Key Vault reference of the app settings stands. */
  referenceStates(): [string, Resolution][] {
    return this.references.states(this.config.appSettings);
  }

  /** What the app runs now, or undefined when it cannot run (stopped, or no image to pull). */
  #launch(): { image: string; faults: ImageFaults; settings: Record<string, string> } | undefined {
    const image = imageOf(this.config);
    const faults = image === undefined ? undefined : this.images(image);
    // An image the registry does not have cannot be pulled: the slot stays down, as in Azure.
    if (this.config.state !== 'Running' || image === undefined || faults === undefined) return undefined;
    return { image, faults, settings: this.references.environment(this.config.appSettings) };
  }

  /**
   * App Service fetches Key Vault references again every 24 hours, so an app moves to a secret's new
   * version within a day (docs: app-service-key-vault-references). The sandbox does that
   * on its clock: a day after the app started it fetches them, and recycles the app, overlapped, when
   * a value changed.
   */
  #scheduleRefetch(): void {
    this.#cancelRefetch?.();
    this.#cancelRefetch = undefined;
    const values = Object.values(this.config.appSettings);
    if (!values.some((value) => parseKeyVaultReference(value) !== undefined)) return;
    this.#cancelRefetch = this.clock.schedule(this.clock.now() + referenceCacheMs, () => {
      this.references.refresh(this.config.appSettings);
      const fresh = this.references.environment(this.config.appSettings);
      const held = this.process.settings ?? {};
      if (Object.entries(fresh).some(([name, value]) => held[name] !== value)) void this.recycle();
      else this.#scheduleRefetch();
    });
  }
}
