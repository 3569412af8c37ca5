import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopChild } from '../childProcess';
import { freePort } from '../freePort';
import type { ImageFaults } from './imageFaults';

/**
 * The process behind one slot: the sample web app started with the slot's image and that image's
 * faults. Restarting or changing the image replaces the process; a crashed process stays down
 * until the next restart, as a container does after too many failures.
 */
export class SlotProcess {
  #child: ChildProcess | undefined;
  #port: number | undefined;
  #image: string | undefined;

  constructor(readonly slot: string) {}

  /** The port the app listens on, while its process lives. */
  get port(): number | undefined {
    return this.#child && this.#child.exitCode === null && this.#child.signalCode === null
      ? this.#port
      : undefined;
  }

  get image(): string | undefined {
    return this.#image;
  }

  async run(image: string, faults: ImageFaults): Promise<void> {
    await this.stop();
    const port = await freePort();
    this.#child = spawn(process.execPath, [join(__dirname, 'sampleApp.js')], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        SLOT: this.slot,
        IMAGE: image,
        FAULTS: JSON.stringify(faults),
      },
      stdio: 'ignore',
    });
    this.#port = port;
    this.#image = image;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child) await stopChild(child);
  }
}
