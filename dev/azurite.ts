import { spawn } from 'node:child_process';
import { stopChild } from './childProcess';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Azurite's published development account; it is public and only ever valid against Azurite. */
const devAccount = 'devstoreaccount1';
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  /** A connection string for `AzureWebJobsStorage` and the storage SDKs. */
  connectionString: string;
  /** Azurite's process, e.g. to lower its CPU priority. */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Folder Azurite keeps its data in. */
  location: string;
  /** Fixed ports (10000–10002 for `npm start`); 0 lets the system choose, for tests. */
  ports?: { blob: number; queue: number; table: number };
}

/** Starts Azurite (the npm package) as a child process and resolves once all three services listen. */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  mkdirSync(options.location, { recursive: true });
  const ports = options.ports ?? { blob: 0, queue: 0, table: 0 };
  const bin = join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'azurite.js');
  const child = spawn(
    process.execPath,
    [
      bin,
      '--location',
      options.location,
      '--blobPort',
      String(ports.blob),
      '--queuePort',
      String(ports.queue),
      '--tablePort',
      String(ports.table),
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--loose',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const endpoints = await waitForEndpoints(child);
  const { blob, queue, table } = endpoints;
  return {
    blobEndpoint: `${blob}/${devAccount}`,
    queueEndpoint: `${queue}/${devAccount}`,
    tableEndpoint: `${table}/${devAccount}`,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};` +
      `BlobEndpoint=${blob}/${devAccount};QueueEndpoint=${queue}/${devAccount};TableEndpoint=${table}/${devAccount};`,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

function waitForEndpoints(child: ChildProcess): Promise<Record<'blob' | 'queue' | 'table', string>> {
  return new Promise((resolve, reject) => {
    const found: Partial<Record<'blob' | 'queue' | 'table', string>> = {};
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`Azurite exited with code ${String(code)} before it was ready: ${stderr.trim()}`)),
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const m = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(line);
      if (!m?.[1] || !m[2]) return;
      found[m[1].toLowerCase() as 'blob' | 'queue' | 'table'] = m[2];
      if (found.blob && found.queue && found.table) {
        child.removeAllListeners('exit');
        resolve(found as Record<'blob' | 'queue' | 'table', string>);
      }
    });
  });
}
