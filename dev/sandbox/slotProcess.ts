import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopChild } from '../childProcess';
import { freePort } from '../freePort';
import { pingUntil } from './httpPing';
import type { ImageFaults } from './imageFaults';

/** What one process of a slot's app runs with. */
interface Launch {
  image: string;
  faults: ImageFaults;
  /** App settings as the process sees them, Key Vault references already resolved. */
  settings: Readonly<Record<string, string>>;
}

interface Running extends Launch {
  child: ChildProcess;
  port: number;
}

/** The path App Service's start-up ping asks for; any answer at all means the container is up. */
const startPingPath = '/robots933456.txt';
/**
 * How long an old process keeps its in-flight requests after traffic has moved to its successor.
 * Requests that were already on their way to it finish there.
 */
const drainMs = 1000;

/**
 * The process behind one slot: the sample web app started with the slot's image, that image's faults
 * and the slot's app settings as its environment. It is replaced in one of two ways, as App Service
 * replaces a Linux container (see {@link run} and {@link recycle}). A crashed process stays down
 * until the next restart, as a container does after too many failures.
 */
export class SlotProcess {
  #serving: Running | undefined;
  #incoming: ChildProcess | undefined;
  readonly #draining = new Set<ChildProcess>();
  /** Bumped by every run, recycle and stop, so that an older one still under way knows to give up. */
  #generation = 0;
  #recycling: Promise<void> = Promise.resolve();

  constructor(readonly slot: string) {}

  /** The port the serving app listens on, while its process lives. */
  get port(): number | undefined {
    const serving = this.#serving;
    return serving && !exited(serving.child) ? serving.port : undefined;
  }

  get image(): string | undefined {
    return this.#serving?.image;
  }

  /** The app settings the serving process started with. */
  get settings(): Readonly<Record<string, string>> | undefined {
    return this.#serving?.settings;
  }

  /**
   * Replaces the app outright: the old process stops, then the new one starts, and requests in
   * between fail, as when App Service restarts an app (the App Service team's blog post "Web App
   * (Windows) restart operations", 2021, warns of 503s during a restart; Azure/app-service-linux-docs
   * "Things you should know" says a manual restart of a container brings downtime).
   */
  async run(image: string, faults: ImageFaults, settings: Record<string, string> = {}): Promise<void> {
    await this.stop();
    const generation = this.#generation;
    const started = await launch(this.slot, { image, faults, settings });
    if (generation !== this.#generation) await stopChild(started.child);
    else this.#serving = started;
  }

  /**
   * An overlapped recycle, which is how App Service on Linux applies an app settings change: the new
   * process starts beside the old one, which serves until the new one answers HTTP, so no request
   * fails (the App Service Linux support boot camp, jamesche75/Linux-Boot-Camp, module 6
   * "Troubleshooting": an `AppSettingsChange` recycle is `OverlappedWithDifferentConfig`, which fails
   * no request). A new process that never answers within `startLimitMs` is stopped
   * and the old one keeps serving.
   */
  recycle(
    image: string,
    faults: ImageFaults,
    settings: Record<string, string>,
    startLimitMs: number,
  ): Promise<void> {
    // A recycle that fails to start anything leaves the old process serving, as one that never answers.
    const recycling = this.#recycle({ image, faults, settings }, startLimitMs).catch(() => undefined);
    this.#recycling = recycling;
    return recycling;
  }

  /** Resolves once the latest recycle has finished, one way or the other. */
  settled(): Promise<void> {
    return this.#recycling;
  }

  async stop(): Promise<void> {
    this.#generation += 1;
    const children = [this.#serving?.child, this.#incoming, ...this.#draining].filter(
      (child): child is ChildProcess => child !== undefined,
    );
    this.#serving = undefined;
    this.#incoming = undefined;
    this.#draining.clear();
    await Promise.all(children.map((child) => stopChild(child)));
  }

  async #recycle(next: Launch, startLimitMs: number): Promise<void> {
    const generation = ++this.#generation;
    const superseded = (): boolean => generation !== this.#generation;
    const previous = this.#incoming;
    this.#incoming = undefined;
    if (previous) await stopChild(previous);
    const started = await launch(this.slot, next);
    if (superseded()) {
      await stopChild(started.child);
      return;
    }
    this.#incoming = started.child;
    const answer = await pingUntil(() => started.port, startPingPath, {
      timeoutMs: startLimitMs,
      giveUp: () => superseded() || exited(started.child),
    });
    if (superseded() || !answer.ok || exited(started.child)) {
      if (this.#incoming === started.child) this.#incoming = undefined;
      await stopChild(started.child);
      return;
    }
    this.#incoming = undefined;
    const old = this.#serving;
    this.#serving = started;
    if (old) await this.#drain(old.child);
  }

  async #drain(child: ChildProcess): Promise<void> {
    this.#draining.add(child);
    await new Promise((resolve) => setTimeout(resolve, drainMs));
    if (this.#draining.delete(child)) await stopChild(child);
  }
}

async function launch(slot: string, next: Launch): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, 'sampleApp.js')], {
    env: {
      ...environmentOf(next.settings),
      PATH: process.env.PATH,
      PORT: String(port),
      SLOT: slot,
      IMAGE: next.image,
      FAULTS: JSON.stringify(next.faults),
    },
    stdio: 'ignore',
  });
  return { ...next, child, port };
}

/**
 * App settings as environment variables: App Service on Linux keeps only letters, digits and
 * underscores of a setting's name (Azure/app-service-linux-docs, "Things you should know").
 */
export function environmentOf(settings: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings)
      .map(([name, value]) => [name.replace(/[^A-Za-z0-9_]/g, ''), value] as const)
      .filter(([name]) => name !== ''),
  );
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
