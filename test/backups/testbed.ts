import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { Client } from 'pg';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { BlobBackupStore } from '../../src/azure/backupStore';
import { ConfiguredDatabaseCredentials } from '../../src/azure/databaseCredential';
import type { SecretReader } from '../../src/azure/keyVaultSecrets';
import { PgPostgresServer } from '../../src/azure/postgresServer';
import { locatePgTools } from '../../src/azure/postgresTools';
import type { PgTools } from '../../src/azure/postgresTools';
import type { BackupServices } from '../../src/backupServices';
import { loadConfig } from '../../src/config';
import type { Target } from '../../src/config';
import { startPostgres } from '../support/postgres';
import type { RunningPostgres } from '../support/postgres';
import { tempDir } from '../support/testHost';

/** The Key Vault secret URI the test targets name; `secretsWith` answers it without Key Vault. */
export const passwordSecretUri = 'https://shepherd-test.vault.azure.net/secrets/db-password';

/** A SecretReader over a map, standing in for Key Vault in tests of the backup layer. */
export function secretsWith(values: Record<string, string>): SecretReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readSecret: (uri) => {
      reads.push(uri);
      const value = values[uri];
      return value === undefined ? Promise.reject(new Error(`no secret ${uri}`)) : Promise.resolve(value);
    },
  };
}

/** A TokenCredential that hands out one fixed token and records the scopes asked for. */
export function fixedTokenCredential(token: string): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken: (scope): Promise<AccessToken> => {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
}

/** The parts of a superuser URL the tests connect with. */
export interface ServerAccess {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function accessOf(url: string): ServerAccess {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

/** A target as the targets file would give it, defaults applied, whose database is on `server`. */
export function targetWith(
  server: ServerAccess,
  database: Record<string, unknown>,
  name = 'web',
  storage = 'UseDevelopmentStorage=true',
): Target {
  const root = tempDir('backup-config');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '0.0.0' }));
  const target = {
    name,
    site: { subscriptionId: '00000000-0000-0000-0000-0000000000b1', resourceGroup: 'rg', name },
    registry: { loginServer: 'contoso.azurecr.io', repository: `contoso/${name}` },
    database: {
      host: server.host,
      port: server.port,
      user: server.user,
      sslMode: 'disable',
      credential: { keyVaultSecretUri: passwordSecretUri },
      ...database,
    },
  };
  writeFileSync(join(root, 'targets.json'), JSON.stringify({ targets: [target] }));
  const config = loadConfig(
    {
      SHEPHERD_TASK_HUB: 'BackupTests',
      SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
      SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
      SHEPHERD_BACKUP_STORAGE: storage,
    },
    root,
  );
  const loaded = config.targets[0];
  if (!loaded) throw new Error('the test target did not load');
  return loaded;
}

/** A real PostgreSQL server and a real Azurite, with backup services over them. */
export interface Testbed {
  postgres: RunningPostgres;
  server: ServerAccess;
  azurite: RunningAzurite;
  blobs: BlobServiceClient;
  tools: PgTools;
  /** Backup services whose Key Vault answers `password` (the server's own unless given). */
  services(options?: { password?: string; container?: string; tools?: PgTools }): BackupServices;
  stop(): Promise<void>;
}

export async function startTestbed(): Promise<Testbed> {
  const [postgres, azurite] = await Promise.all([
    startPostgres(),
    startAzurite({ location: tempDir('backup-azurite') }),
  ]);
  const server = accessOf(postgres.url);
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const tools = locatePgTools({ binDir: undefined, searchPath: [] });
  return {
    postgres,
    server,
    azurite,
    blobs,
    tools,
    services: (options = {}) => ({
      credentials: new ConfiguredDatabaseCredentials(
        secretsWith({ [passwordSecretUri]: options.password ?? server.password }),
        fixedTokenCredential('unused-token'),
      ),
      server: new PgPostgresServer(),
      store: new BlobBackupStore(blobs, options.container ?? 'backups'),
      tools: () => options.tools ?? tools,
    }),
    stop: async () => {
      await Promise.all([postgres.stop(), azurite.stop()]);
    },
  };
}

/** Runs SQL as the superuser in `database`. */
export async function sql(server: ServerAccess, database: string, text: string): Promise<unknown[]> {
  const client = new Client({ ...server, database });
  await client.connect();
  try {
    // Several statements answer with one result each.
    const result: unknown = await client.query(text);
    const results = (Array.isArray(result) ? result : [result]) as { rows: unknown[] }[];
    return results.flatMap((r) => r.rows);
  } finally {
    await client.end();
  }
}

/** Names of the committed blobs in `container` under `prefix`: anything a reader could take for a backup. */
export async function committedBlobs(
  blobs: BlobServiceClient,
  container: string,
  prefix = '',
): Promise<string[]> {
  const client = blobs.getContainerClient(container);
  if (!(await client.exists())) return [];
  const names: string[] = [];
  for await (const blob of client.listBlobsFlat({ prefix })) names.push(blob.name);
  return names;
}

/** `pg_dump --schema-only` of a database, as text; the password goes in the environment. */
export function schemaOf(tools: PgTools, server: ServerAccess, database: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      tools.pgDump,
      ['--schema-only', '--no-password'],
      {
        env: {
          PGHOST: server.host,
          PGPORT: String(server.port),
          PGUSER: server.user,
          PGPASSWORD: server.password,
          PGDATABASE: database,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      // Each dump guards its script with a random \restrict key, which is not part of the schema.
      (err, stdout) =>
        err
          ? reject(new Error(`pg_dump --schema-only failed: ${err.message}`))
          : resolve(stdout.replace(/^\\(un)?restrict .*$/gm, '')),
    );
  });
}
