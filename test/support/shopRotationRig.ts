import { randomBytes } from 'node:crypto';
import { WebSiteManagementClient } from '@azure/arm-appservice';
import { SecretClient } from '@azure/keyvault-secrets';
import { Client } from 'pg';
import { toPostgresUrl } from '../../src/domain/postgresUrl';
import type { RotationStatus } from '../../src/orchestrations/rotationModel';
import { startPostgres } from './postgres';
import type { RunningPostgres } from './postgres';
import { rigRegistry, rigSite, rigTarget, rigVault, startReleaseRig } from './releaseRig';
import type { ReleaseRig } from './releaseRig';
import { sandboxCredential } from './sandbox';
import { call, waitFor } from './testHost';

export interface ShopRotationRigOptions {
  secondsPerMinute: number;
  /** Where the shop's notices go. */
  noticeUrl?: string;
  /** More managed secrets of the shop, given the sandbox's URL. */
  moreSecrets?: (sandboxUrl: string) => unknown[];
  /** More app settings of the shop, given the sandbox's URL. */
  moreSettings?: (sandboxUrl: string) => Record<string, string>;
}

/**
 * The release rig with one site, `shop`, whose app reads its PostgreSQL database (a real throwaway
 * cluster) through a Key Vault reference to the managed secret `shop-db`: two login roles that take
 * turns, the first in use, and an admin role Shepherd changes passwords with. Names are unique to the
 * run, so a shared server (`DATABASE_URL`) never mixes two runs.
 */
export interface ShopRotationRig {
  rig: ReleaseRig;
  vault: SecretClient;
  arm: WebSiteManagementClient;
  roles: { blue: string; green: string; admin: string };
  /** The roles' passwords before any rotation, and the admin's. */
  passwords: { blue: string; green: string; admin: string };
  database: string;
  /** The roles the app's sessions use now. */
  appSessions(): Promise<string[]>;
  /** Waits until every session of the app is on `role`: the process the app left closes its own. */
  onlySessionsOn(role: string): Promise<void>;
  /** Runs `sql` as the superuser on the shop's database. */
  onShopDatabase(sql: string): Promise<void>;
  /** The connection URL of `role` with `password` to the shop's database. */
  connection(role: string, password: string): string;
  logsIn(role: string, password: string): Promise<boolean>;
  /** The password `role` has now: the one in the newest version of shop-db that names it. */
  passwordOf(role: string): Promise<string>;
  /** Asks for a rotation of `name` over HTTP; returns where its status is. */
  askRotation(name: string): Promise<string>;
  /** Waits for the rotation at `location` to end; returns its output. */
  ended(location: string): Promise<RotationStatus>;
  stop(): Promise<void>;
}

export async function startShopRotationRig(options: ShopRotationRigOptions): Promise<ShopRotationRig> {
  const run = randomBytes(3).toString('hex');
  const roles = { blue: `app_blue_${run}`, green: `app_green_${run}`, admin: `shepherd_admin_${run}` };
  const passwords = {
    blue: `blue-${randomBytes(12).toString('hex')}`,
    green: `green-${randomBytes(12).toString('hex')}`,
    admin: `admin-${randomBytes(12).toString('hex')}`,
  };
  const database = `shop_${run}`;
  const pg: RunningPostgres = await startPostgres();
  const su = new Client({ connectionString: pg.url });
  await su.connect();
  const port = Number(new URL(pg.url).port || 5432);
  const onShopDatabase = async (sql: string): Promise<void> => {
    const url = new URL(pg.url);
    url.pathname = `/${database}`;
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    await db.query(sql);
    await db.end();
  };
  await su.query(`CREATE ROLE ${roles.admin} LOGIN CREATEROLE PASSWORD '${passwords.admin}'`);
  await su.query(`CREATE ROLE ${roles.blue} LOGIN PASSWORD '${passwords.blue}'`);
  await su.query(`CREATE ROLE ${roles.green} LOGIN PASSWORD '${passwords.green}'`);
  await su.query(`CREATE DATABASE ${database}`);
  await onShopDatabase('CREATE TABLE items (id int)');
  await onShopDatabase(`GRANT SELECT ON items TO ${roles.blue}, ${roles.green}`);

  const rig = await startReleaseRig({
    secondsPerMinute: options.secondsPerMinute,
    sites: [{ name: 'shop', image: `${rigRegistry}/contoso/shop:1.0.0` }],
    targets: [
      rigTarget(
        'shop',
        options.noticeUrl === undefined ? {} : { notifications: { webhookUrl: options.noticeUrl } },
      ),
    ],
    secrets: (sandboxUrl) => [
      {
        name: 'shop-db',
        kind: 'postgresRole',
        keyVaultSecretUri: `${sandboxUrl}/secrets/shop-db`,
        consumers: ['shop'],
        postgres: {
          host: '127.0.0.1',
          port,
          database,
          sslMode: 'disable',
          roles: [roles.blue, roles.green],
          admin: {
            user: roles.admin,
            credential: { keyVaultSecretUri: `${sandboxUrl}/secrets/shepherd-admin`, holds: 'password' },
          },
        },
      },
      ...(options.moreSecrets?.(sandboxUrl) ?? []),
    ],
    keyVaultEvents: true,
  });
  const site = rigSite('shop');
  const credential = sandboxCredential(rig.sandbox.url, rig.identity);
  const vault = rigVault(rig);
  const arm = new WebSiteManagementClient(credential, site.subscriptionId, { endpoint: rig.sandbox.url });
  const connection = (role: string, password: string): string =>
    toPostgresUrl({
      user: role,
      password,
      host: '127.0.0.1',
      port,
      database,
      params: { sslmode: 'disable' },
    });
  await vault.setSecret('shepherd-admin', passwords.admin);
  await vault.setSecret('shop-db', connection(roles.blue, passwords.blue));
  // The app reads its database through a Key Vault reference, on production and the staging slot.
  const settings = {
    DATABASE_URL: `@Microsoft.KeyVault(SecretUri=${rig.sandbox.url}/secrets/shop-db/)`,
    DATABASE_QUERY: 'SELECT count(*) FROM items',
    ...options.moreSettings?.(rig.sandbox.url),
  };
  await arm.webApps.updateApplicationSettings(site.resourceGroup, site.name, { properties: settings });
  await arm.webApps.updateApplicationSettingsSlot(site.resourceGroup, site.name, 'staging', {
    properties: settings,
  });

  const appSessions = async (): Promise<string[]> => {
    const { rows } = await su.query<{ usename: string }>(
      "SELECT usename FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'sandbox-%'",
      [database],
    );
    return rows.map((r) => r.usename);
  };
  await waitFor('the app on its database as the first role', async () =>
    (await appSessions()).includes(roles.blue) ? true : undefined,
  );

  const ended = (location: string): Promise<RotationStatus> =>
    waitFor(
      `${location} to end`,
      async () => {
        const res = await call(rig.url, location, { key: rig.functionKey });
        const status = res.body as RotationStatus & { runtimeStatus: string };
        return status.runtimeStatus === 'Completed' ? status : undefined;
      },
      120_000,
    );

  return {
    rig,
    vault,
    arm,
    roles,
    passwords,
    database,
    appSessions,
    async onlySessionsOn(role) {
      await waitFor(`every app session on ${role}`, async () => {
        const used = new Set(await appSessions());
        return used.size === 1 && used.has(role) ? true : undefined;
      });
    },
    onShopDatabase,
    connection,
    async logsIn(role, password) {
      const client = new Client({ connectionString: connection(role, password) });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async passwordOf(role) {
      const versions = [];
      for await (const properties of vault.listPropertiesOfSecretVersions('shop-db'))
        versions.push(properties);
      versions.sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
      for (const properties of versions) {
        const url = new URL((await vault.getSecret('shop-db', { version: properties.version })).value ?? '');
        if (decodeURIComponent(url.username) === role) return decodeURIComponent(url.password);
      }
      throw new Error(`no version of shop-db names ${role}`);
    },
    async askRotation(name) {
      const asked = await call(rig.url, `/api/secrets/${name}/rotate`, {
        method: 'POST',
        key: rig.functionKey,
        body: { reason: 'quarterly rotation' },
      });
      if (asked.status !== 202)
        throw new Error(`the rotation was not started: ${asked.status} ${asked.text}`);
      return String(asked.headers.get('location'));
    },
    ended,
    async stop() {
      await rig.stop();
      await su.end();
      await pg.stop();
    },
  };
}
