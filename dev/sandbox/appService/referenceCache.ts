import type { Resolution } from './referenceResolution';

/**
 * How long App Service keeps a resolved Key Vault reference before it fetches it again: 24 hours
 * (docs: app-service-key-vault-references, "Understand rotation"). So a restart alone does not pick
 * up a new version (azure-docs issues 100848, 87490).
 */
export const referenceCacheMs = 24 * 3_600_000;

interface Cached {
  resolution: Resolution;
  at: number;
}

/**
 * App Service's cache of one slot's Key Vault references, failures included: a process starts on
 * what it holds while that is younger than a day; a refresh or a configuration change fetches anew.
 */
export class ReferenceCache {
  readonly #entries = new Map<string, Cached>();

  constructor(
    private readonly resolve: (text: string) => Resolution | undefined,
    private readonly now: () => number,
  ) {}

  /**
   * The environment of a process that starts now: the settings, each reference replaced by its
   * secret, or left as written when it does not resolve (as App Service leaves it).
   */
  environment(settings: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(settings).map(([name, value]) => [
        name,
        this.#current(name, value, false)?.value ?? value,
      ]),
    );
  }

  /** Fetches every reference of `settings` again, now. */
  refresh(settings: Record<string, string>): void {
    for (const [name, value] of Object.entries(settings)) this.#current(name, value, true);
  }

  /** How each reference of `settings` stands, by setting name. */
  states(settings: Record<string, string>): [string, Resolution][] {
    return Object.entries(settings).flatMap(([name, value]) => {
      const resolution = this.#current(name, value, false);
      return resolution ? [[name, resolution] as [string, Resolution]] : [];
    });
  }

  /** Forgets everything, so that the next start fetches every reference: a configuration change. */
  clear(): void {
    this.#entries.clear();
  }

  #current(name: string, value: string, fetch: boolean): Resolution | undefined {
    const key = name.toLowerCase();
    const cached = this.#entries.get(key);
    const fresh =
      cached !== undefined &&
      cached.resolution.reference === value &&
      this.now() - cached.at < referenceCacheMs;
    if (!fetch && fresh) return cached.resolution;
    const resolution = this.resolve(value);
    if (resolution) this.#entries.set(key, { resolution, at: this.now() });
    else this.#entries.delete(key);
    return resolution;
  }
}
