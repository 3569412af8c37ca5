import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Clock } from '../../dev/host/clock';
import { LocalHost } from '../../dev/host/host';
import type { HostKeys } from '../../dev/host/settings';

/** The repository root (this file runs from dist/test/support). */
export const repoRoot = join(__dirname, '..', '..', '..');
export const testAppDir = join(repoRoot, 'test', 'app');

export const testKeys: HostKeys = {
  master: 'test-master-key-0123456789',
  host: { default: 'test-host-key-0123456789' },
  functions: { getItem: { default: 'test-getitem-key-0123456789' } },
  system: {
    eventgrid_extension: 'test-eventgrid-key-0123456789',
    durabletask_extension: 'test-durable-key-0123456789',
  },
};

export const testSettings = {
  Values: { TEST_TASK_HUB: 'TestHub', TEST_YEARLY_SCHEDULE: '0 0 0 1 1 *' },
  Keys: testKeys,
};

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `shepherd-${prefix}-`));
}

/** Starts the local host with the test app on a free port. */
export function startTestHost(options: { clock?: Clock; dataDir?: string } = {}): Promise<LocalHost> {
  return LocalHost.start({
    appDir: testAppDir,
    port: 0,
    settings: testSettings,
    dataDir: options.dataDir ?? tempDir('host'),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

export interface CallOptions {
  method?: string;
  key?: string;
  keyIn?: 'header' | 'query';
  body?: unknown;
  headers?: Record<string, string>;
}

/** One real HTTP request to the host; JSON bodies are parsed when the response says JSON. */
export async function call(
  base: string,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const url = new URL(path, base);
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) {
    if (options.keyIn === 'query') url.searchParams.set('code', options.key);
    else headers['x-functions-key'] = options.key;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: type.includes('json') && text ? (JSON.parse(text) as unknown) : text,
  };
}

/**
 * Polls `check` until it returns a value, for processes this test cannot await directly (a child host).
 * Fails after `timeoutMs` with what was last seen.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs the local host CLI (`dist/dev/host/cli.js`) with `args` as its own process, so that a test can
 * kill it outright; resolves with its URL once it listens.
 */
export function startHostProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'dev', 'host', 'cli.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the host exited with ${String(code)} before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const url = /^Host listening at (\S+)/.exec(line)?.[1];
      if (url) {
        child.removeAllListeners('exit');
        resolve({ child, url });
      }
    });
  });
}
