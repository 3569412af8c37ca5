import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../dev/freePort';

/** TLS for a throwaway cluster: the server's certificate and key, as PEM. */
export interface PostgresTls {
  certPem: string;
  keyPem: string;
}

export interface RunningPostgres {
  /** A connection URL with the superuser's password; keep it out of logs. */
  url: string;
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL server's bin folder (Debian keeps one per major version). */
export function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return join(root, newest, 'bin');
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'No PostgreSQL server binaries found; install the postgresql package or set DATABASE_URL.',
    );
  }
}

/** PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user (or nobody). */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
      return { uid, gid };
    } catch {
      // try the next user
    }
  }
  throw new Error(
    'Running as root, and neither a postgres nor a nobody user exists to own the test cluster.',
  );
}

function run(bin: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(owner ?? {}) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${bin} exited with ${String(code)}: ${stderr.trim()}`)),
    );
  });
}

/**
 * A throwaway PostgreSQL cluster from the machine's own binaries, on a free port, with password
 * (SCRAM) authentication; or the server at DATABASE_URL when that is set. With `tls`, always a
 * throwaway cluster, which then also takes TLS connections with that certificate.
 */
export async function startPostgres(options: { tls?: PostgresTls } = {}): Promise<RunningPostgres> {
  const given = process.env.DATABASE_URL;
  if (given && !options.tls) return { url: given, stop: () => Promise.resolve() };

  const bin = findBinDir();
  const owner = clusterOwner();
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-pg-'));
  const data = join(dir, 'data');
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(dir, 'pw');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
  }
  const port = await freePort();
  const serverOptions = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off'];
  if (options.tls) {
    const certFile = join(dir, 'server.crt');
    const keyFile = join(dir, 'server.key');
    writeFileSync(certFile, options.tls.certPem);
    // The server refuses a key that others can read.
    writeFileSync(keyFile, options.tls.keyPem, { mode: 0o600 });
    if (owner) {
      chownSync(certFile, owner.uid, owner.gid);
      chownSync(keyFile, owner.uid, owner.gid);
    }
    serverOptions.push('-c ssl=on', `-c ssl_cert_file=${certFile}`, `-c ssl_key_file=${keyFile}`);
  }
  try {
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        'postgres',
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--no-sync',
      ],
      owner,
    );
    await run(
      join(bin, 'pg_ctl'),
      ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions.join(' '), 'start'],
      owner,
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], owner).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
