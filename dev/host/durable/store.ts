import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  fsyncSync,
  openSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { InstanceState } from './instanceState';

/**
 * Instance state kept on disk, one JSON file per instance. Every write goes to a temporary file that is
 * flushed and then renamed over the old one, so a crash leaves either the old state or the new, never half.
 */
export class InstanceStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  loadAll(): InstanceState[] {
    const states: InstanceState[] = [];
    for (const file of readdirSync(this.#dir)) {
      if (!file.endsWith('.json')) continue;
      states.push(JSON.parse(readFileSync(join(this.#dir, file), 'utf8')) as InstanceState);
    }
    return states;
  }

  save(state: InstanceState): void {
    const path = this.#pathOf(state.instanceId);
    const temp = `${path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeFileSync(fd, JSON.stringify(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  }

  delete(instanceId: string): void {
    rmSync(this.#pathOf(instanceId), { force: true });
  }

  #pathOf(instanceId: string): string {
    return join(this.#dir, `${encodeURIComponent(instanceId)}.json`);
  }
}
