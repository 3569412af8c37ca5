import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SecretClient } from '@azure/keyvault-secrets';
import { LocalHost } from '../../dev/host/host';
import type { AuditEntry } from '../../src/domain/auditEntry';
import { setLogSink } from '../../dev/host/log';
import { keyVaultModule } from '../../dev/sandbox/keyVault/module';
import { signedIn } from '../support/easyAuth';
import { shepherdSettingsFor } from '../../dev/sandbox/shepherdSettings';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { call, repoRoot, tempDir } from '../support/testHost';
import { contentsOf, createShopDatabase } from './shopDatabase';
import { sql, startTestbed } from './testbed';
import type { Testbed } from './testbed';

const functionKey = 'backup-function-key-0123456789';
const masterKey = `master-${functionKey}`;
/** A webhook URL carries its own secret, so it must stay out of durable inputs. */
const notificationUrl = 'https://hooks.example/services/T000/B000/notification-secret-0123';

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; problem: string }[];
}

interface BackupView {
  name: string;
  status: string | null;
  usable: boolean;
  sizeBytes: number | null;
  sha256: string | null;
  takenAt: string;
  verifiedAt: string | null;
  releaseId: string | null;
  image: string | null;
}

interface OperationView {
  id: string;
  kind: string;
  target: string;
  runtimeStatus: string;
  customStatus: Record<string, unknown>;
  output: unknown;
}

describe('backups and restores over HTTP, through the local host, with App Service authentication on', () => {
  let bed: Testbed;
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let host: LocalHost;
  /** How to stop what has started, newest first, so a start-up that fails half way leaves nothing running. */
  const stops: (() => Promise<void>)[] = [];
  const logs: string[] = [];

  before(async () => {
    bed = await startTestbed();
    stops.push(() => bed.stop());
    await createShopDatabase(bed.server, 'shop');
    sandbox = await startTestSandbox([keyVaultModule({ vaultName: 'backup-kv' })]);
    stops.push(() => sandbox.close());
    const vault = new SecretClient(sandbox.url, sandboxCredential(sandbox.url, sandbox.identity), {
      disableChallengeResourceVerification: true,
    });
    await vault.setSecret('shop-password', bed.server.password);

    const targetsFile = join(tempDir('backup-targets'), 'targets.json');
    const site = { subscriptionId: '00000000-0000-0000-0000-0000000000b2', resourceGroup: 'rg' };
    writeFileSync(
      targetsFile,
      JSON.stringify({
        targets: [
          {
            name: 'web',
            site: { ...site, name: 'web' },
            registry: { loginServer: 'contoso.azurecr.io', repository: 'contoso/web' },
            notifications: { webhookUrl: notificationUrl },
            database: {
              host: bed.server.host,
              port: bed.server.port,
              name: 'shop',
              user: bed.server.user,
              sslMode: 'disable',
              credential: { keyVaultSecretUri: `${sandbox.url}/secrets/shop-password` },
            },
          },
          {
            name: 'static',
            site: { ...site, name: 'static' },
            registry: { loginServer: 'contoso.azurecr.io', repository: 'contoso/static' },
          },
        ],
      }),
    );
    setLogSink((line) => logs.push(line));
    host = await LocalHost.start({
      appDir: repoRoot,
      port: 0,
      dataDir: tempDir('backup-host'),
      settings: {
        Values: {
          SHEPHERD_TASK_HUB: 'BackupHttp',
          SHEPHERD_TARGETS_FILE: targetsFile,
          SHEPHERD_ACR_WEBHOOK_SECRET: 'backup-webhook-secret-0123456789',
          SHEPHERD_ALERT_WEBHOOK_SECRET: 'backup-alert-secret-0123456789',
          ...shepherdSettingsFor(sandbox.url),
          SHEPHERD_BACKUP_STORAGE: bed.azurite.connectionString,
          SHEPHERD_STATE_STORAGE: bed.azurite.connectionString,
          SHEPHERD_BACKUP_CONTAINER: 'http-backups',
          // As App Service sets it when its authentication is on: the principal headers are its own.
          WEBSITE_AUTH_ENABLED: 'True',
          AZURE_TENANT_ID: sandbox.identity.tenantId,
          AZURE_CLIENT_ID: sandbox.identity.clientId,
          AZURE_CLIENT_SECRET: sandbox.identity.clientSecret,
        },
        Keys: { master: masterKey, host: { default: functionKey }, functions: {}, system: {} },
      },
    });
    stops.push(() => host.stop());
  });

  after(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  function post(path: string, body?: unknown, headers: Record<string, string> = {}, key = functionKey) {
    return call(host.url, path, { method: 'POST', key, body, headers });
  }

  /** Follows the Location a 202 gave, with the function key, once the durable work it started has finished. */
  async function finished(accepted: {
    status: number;
    headers: Headers;
    body: unknown;
    text: string;
  }): Promise<OperationView> {
    assert.equal(accepted.status, 202, accepted.text);
    await host.idle();
    const status = await call(host.url, accepted.headers.get('location') ?? '', { key: functionKey });
    assert.equal(status.status, 200, status.text);
    return status.body as OperationView;
  }

  function instancesOf(name: string): number {
    return host.engine.list().filter((i) => i.name === name).length;
  }

  let first: BackupView;
  /** The id of the first backup's durable run. */
  let firstRun: string;

  it('takes a backup on demand as durable work, answering 202 with where to follow it', async () => {
    const accepted = await post('/api/targets/web/backups', undefined, signedIn('alice@contoso.com'));
    const { id } = accepted.body as { id: string };
    assert.deepEqual(accepted.body, {
      id,
      kind: 'backup',
      target: 'web',
      statusUri: `/api/targets/web/operations/${id}`,
    });
    assert.equal(accepted.headers.get('location'), `/api/targets/web/operations/${id}`);
    assert.equal(accepted.headers.get('retry-after'), '10');
    firstRun = id;
    const done = await finished(accepted);
    assert.deepEqual([done.id, done.kind, done.target], [id, 'backup', 'web']);
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(done.output, done.customStatus);
    assert.equal(done.customStatus.outcome, 'succeeded', JSON.stringify(done.customStatus));
    assert.equal(done.customStatus.requestedBy, 'alice@contoso.com');
    const made = done.customStatus.backup as BackupView;
    assert.match(made.name, /^web\/shop\/\d{8}T\d{6}\.\d{3}Z_on-demand\.dump$/);

    const listed = await call(host.url, '/api/targets/web/backups', { key: functionKey });
    assert.equal(listed.status, 200);
    const backups = (listed.body as { backups: BackupView[] }).backups;
    assert.equal(backups.length, 1);
    first = backups[0] as BackupView;
    assert.deepEqual(
      { name: first.name, status: first.status, usable: first.usable, releaseId: first.releaseId },
      { name: made.name, status: 'verified', usable: true, releaseId: null },
    );
    assert.ok((first.sizeBytes ?? 0) > 0);
    assert.match(first.sha256 ?? '', /^[0-9a-f]{64}$/);
  });

  it('lists the newest backup first', async () => {
    await finished(await post('/api/targets/web/backups'));
    const listed = await call(host.url, '/api/targets/web/backups', { key: functionKey });
    const names = (listed.body as { backups: BackupView[] }).backups.map((b) => b.name);
    assert.equal(names.length, 2);
    assert.equal(names[1], first.name);
    assert.ok((names[0] ?? '') > first.name);
  });

  it('restores a backup into a new database, saying where it stands', async () => {
    const done = await finished(
      await post('/api/targets/web/restores', { backup: first.name, database: 'shop_copy' }),
    );
    assert.equal(done.runtimeStatus, 'Completed');
    assert.deepEqual(
      {
        phase: done.customStatus.phase,
        outcome: done.customStatus.outcome,
        replacesExisting: done.customStatus.replacesExisting,
      },
      { phase: 'done', outcome: 'succeeded', replacesExisting: false },
    );
    assert.deepEqual(await contentsOf(bed.server, 'shop_copy'), await contentsOf(bed.server, 'shop'));
  });

  it('replaces an existing database for a caller signed in with the Shepherd.Admin role, recording who asked', async () => {
    // The copy drifts from its backup, so the overwrite has something to put right.
    await sql(bed.server, 'shop_copy', 'DELETE FROM order_lines');
    const done = await finished(
      await post(
        '/api/targets/web/restores',
        { backup: first.name, database: 'shop_copy', overwrite: true },
        signedIn('bob@contoso.com', ['Shepherd.Admin']),
      ),
    );
    assert.deepEqual(
      {
        outcome: done.customStatus.outcome,
        replacesExisting: done.customStatus.replacesExisting,
        requestedBy: done.customStatus.requestedBy,
        reason: done.customStatus.reason,
      },
      {
        outcome: 'succeeded',
        replacesExisting: true,
        requestedBy: 'bob@contoso.com',
        reason: `${first.name} replaced the database shop_copy, as bob@contoso.com asked`,
      },
    );
    assert.deepEqual(await contentsOf(bed.server, 'shop_copy'), await contentsOf(bed.server, 'shop'));
    assert.ok(logs.some((l) => l.includes('replacing database shop_copy of web, as bob@contoso.com asked')));
  });

  it('records each backup and restore in the audit trail: who asked, what, and how it came out', async () => {
    const res = await call(host.url, '/api/audit?target=web&top=200', { key: functionKey });
    assert.equal(res.status, 200, res.text);
    assert.ok(!res.text.includes(bed.server.password));
    const trail = (res.body as { entries: AuditEntry[] }).entries.reverse();
    const backups = trail.filter((e) => e.action === 'backup.taken');
    assert.deepEqual(
      backups.map((e) => [e.by, e.outcome, e.operation?.kind]),
      [
        [{ kind: 'person', name: 'alice@contoso.com' }, 'succeeded', 'backup'],
        [{ kind: 'person', name: 'a holder of the function key' }, 'succeeded', 'backup'],
      ],
    );
    assert.match(
      backups[0]?.detail ?? '',
      new RegExp(`^${first.name}: \\d+ bytes, verified, SHA-256 ${first.sha256 ?? ''}$`),
    );
    const overwrite = trail.filter((e) => e.by.kind === 'person' && e.by.name === 'bob@contoso.com');
    assert.deepEqual(
      overwrite.map((e) => [e.action, e.outcome, e.detail]),
      [
        ['restore.started', 'started', `${first.name} into shop_copy, replacing it if it exists`],
        [
          'restore.ended',
          'succeeded',
          `${first.name} replaced the database shop_copy, as bob@contoso.com asked`,
        ],
      ],
    );
    assert.equal(overwrite[0]?.operation?.id, overwrite[1]?.operation?.id);
  });

  it('refuses to overwrite for a signed-in caller without the Shepherd.Admin role, with 403 saying how, starting nothing', async () => {
    const restores = instancesOf('restore');
    const res = await post(
      '/api/targets/web/restores',
      { backup: first.name, database: 'shop_copy', overwrite: true },
      signedIn('carol@contoso.com', ['Reader']),
    );
    assert.equal(res.status, 403, res.text);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(
      (res.body as Problem).detail,
      'Replacing a database needs more than the function key: ask POST /api/targets/web/restores/overwrite ' +
        'with the admin (master) key, or sign in through App Service authentication with the Shepherd.Admin app role.',
    );
    await host.idle();
    assert.equal(instancesOf('restore'), restores);
  });

  it('replaces a database through the admin route with the master key, which a function key cannot call', async () => {
    const body = { backup: first.name, database: 'shop_copy' };
    assert.equal((await post('/api/targets/web/restores/overwrite', body)).status, 401);
    await sql(bed.server, 'shop_copy', 'DELETE FROM order_lines');
    const done = await finished(await post('/api/targets/web/restores/overwrite', body, {}, masterKey));
    assert.deepEqual(
      [
        done.kind,
        done.customStatus.outcome,
        done.customStatus.replacesExisting,
        done.customStatus.requestedBy,
      ],
      ['restore', 'succeeded', true, 'a holder of the admin key'],
    );
    assert.deepEqual(await contentsOf(bed.server, 'shop_copy'), await contentsOf(bed.server, 'shop'));
  });

  it("shows a run only under its own target's route, and only to a key holder", async () => {
    const own = await call(host.url, `/api/targets/web/operations/${firstRun}`, { key: functionKey });
    assert.equal(own.status, 200);
    for (const path of [`/api/targets/static/operations/${firstRun}`, '/api/targets/web/operations/nope']) {
      const res = await call(host.url, path, { key: functionKey });
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.doesNotMatch(res.text, /shop|alice/, 'nothing of the run shows');
    }
    assert.equal((await call(host.url, `/api/targets/web/operations/${firstRun}`)).status, 401);
  });

  const refusals: {
    rule: string;
    method: 'GET' | 'POST';
    path: string;
    body?: unknown;
    /** The master key for the admin route; the function key otherwise. */
    key?: string;
    status: number;
    detail: RegExp;
  }[] = [
    {
      rule: 'a backup of an unknown target',
      method: 'POST',
      path: '/api/targets/nope/backups',
      status: 404,
      detail: /There is no target nope\./,
    },
    {
      rule: 'the backups of an unknown target',
      method: 'GET',
      path: '/api/targets/nope/backups',
      status: 404,
      detail: /There is no target nope\./,
    },
    {
      rule: 'a restore for an unknown target',
      method: 'POST',
      path: '/api/targets/nope/restores',
      body: {},
      status: 404,
      detail: /There is no target nope\./,
    },
    {
      rule: 'a backup of a target without a database',
      method: 'POST',
      path: '/api/targets/static/backups',
      status: 409,
      detail: /The target static has no database/,
    },
    {
      rule: 'the backups of a target without a database',
      method: 'GET',
      path: '/api/targets/static/backups',
      status: 409,
      detail: /no database/,
    },
    {
      rule: 'a restore for a target without a database',
      method: 'POST',
      path: '/api/targets/static/restores',
      body: {},
      status: 409,
      detail: /no database/,
    },
    {
      rule: 'a restore whose body is not JSON',
      method: 'POST',
      path: '/api/targets/web/restores',
      body: 'restore please',
      status: 400,
      detail: /The body must be JSON/,
    },
    {
      rule: 'a restore naming no backup',
      method: 'POST',
      path: '/api/targets/web/restores',
      body: { database: 'x' },
      status: 400,
      detail: /A restore is asked for as/,
    },
    {
      rule: 'a restore into a database name that is not plain',
      method: 'POST',
      path: '/api/targets/web/restores',
      body: { backup: 'web/x', database: 'host=evil' },
      status: 400,
      detail: /A restore is asked for as/,
    },
    {
      rule: 'a restore with an unknown field',
      method: 'POST',
      path: '/api/targets/web/restores',
      body: { backup: 'web/x', database: 'x', overwite: true },
      status: 400,
      detail: /A restore is asked for as/,
    },
    {
      rule: 'a restore of a backup that does not exist',
      method: 'POST',
      path: '/api/targets/web/restores',
      body: { backup: 'web/shop/20000101T000000.000Z_on-demand.dump', database: 'shop_x' },
      status: 404,
      detail: /^There is no backup web\/shop\/20000101T000000\.000Z_on-demand\.dump\.$/,
    },
    {
      rule: 'an overwriting restore for an unknown target',
      method: 'POST',
      path: '/api/targets/nope/restores/overwrite',
      body: { backup: 'nope/x', database: 'x' },
      key: masterKey,
      status: 404,
      detail: /There is no target nope\./,
    },
    {
      rule: 'an overwriting restore that says not to overwrite',
      method: 'POST',
      path: '/api/targets/web/restores/overwrite',
      body: { backup: 'web/x', database: 'x', overwrite: false },
      key: masterKey,
      status: 400,
      detail:
        /A restore is asked for as \{"backup": "<backup name>", "database": "<database to replace or create>"\}/,
    },
    {
      rule: "a restore of another target's backup",
      method: 'POST',
      path: '/api/targets/web/restores',
      body: { backup: 'static/shop/a.dump', database: 'shop_x' },
      status: 404,
      detail: /There is no backup static\/shop\/a\.dump/,
    },
  ];
  for (const r of refusals) {
    it(`answers ${r.status} problem+json to ${r.rule}, starting nothing`, async () => {
      const [backups, restores] = [instancesOf('backup'), instancesOf('restore')];
      const res = await call(host.url, r.path, {
        method: r.method,
        key: r.key ?? functionKey,
        ...(r.body === undefined ? {} : { body: r.body }),
      });
      assert.equal(res.status, r.status, res.text);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.match((res.body as Problem).detail, r.detail);
      await host.idle();
      assert.deepEqual([instancesOf('backup'), instancesOf('restore')], [backups, restores]);
    });
  }

  it('says which fields of a restore request are wrong', async () => {
    const res = await post('/api/targets/web/restores', { database: 'has space', overwrite: 'yes' });
    assert.equal(res.status, 400);
    assert.deepEqual(
      (res.body as Problem).errors?.map((e) => e.field),
      ['backup', 'database', 'overwrite'],
    );
  });

  it('refuses to restore over an existing database without overwrite, with 409, starting nothing', async () => {
    const restores = instancesOf('restore');
    const res = await post('/api/targets/web/restores', { backup: first.name, database: 'shop' });
    assert.equal(res.status, 409, res.text);
    assert.equal(
      (res.body as Problem).detail,
      'The database shop exists; to replace it, ask again with "overwrite": true.',
    );
    assert.equal(instancesOf('restore'), restores);
  });

  it('lists a backup that failed verification as not usable, and refuses to restore it with 409', async () => {
    const name = 'web/shop/19990101T000000.000Z_on-demand.dump';
    await bed.blobs
      .getContainerClient('http-backups')
      .getBlockBlobClient(name)
      .upload('not a dump', 10, {
        metadata: {
          target: 'web',
          database: 'shop',
          takenat: '1999-01-01T00:00:00.000Z',
          pgdumpversion: '15.0',
          serverversion: '15.0',
          status: 'verificationFailed',
          reason: 'pg_restore could not read it',
        },
      });
    const listed = await call(host.url, '/api/targets/web/backups', { key: functionKey });
    const failed = (listed.body as { backups: BackupView[] }).backups.at(-1);
    assert.deepEqual([failed?.name, failed?.status, failed?.usable], [name, 'verificationFailed', false]);
    const res = await post('/api/targets/web/restores', { backup: name, database: 'shop_from_bad' });
    assert.equal(res.status, 409, res.text);
    assert.equal(
      (res.body as Problem).detail,
      `The backup ${name} is verificationFailed; only a verified backup is restored.`,
    );
  });

  it('needs the function key', async () => {
    const res = await call(host.url, '/api/targets/web/backups', { method: 'POST' });
    assert.equal(res.status, 401);
  });

  it('never shows the database password in a status or a log line, nor keeps a webhook URL', async () => {
    await host.idle();
    const statuses = JSON.stringify(host.engine.list().map((i) => [i.customStatus, i.output]));
    assert.ok(!statuses.includes(bed.server.password));
    const inputs = JSON.stringify(host.engine.list().map((i) => i.input));
    assert.ok(inputs.includes('"database"'), 'the inputs were looked at');
    assert.ok(!inputs.includes(notificationUrl));
    assert.ok(logs.length > 0);
    assert.ok(!logs.join('\n').includes(bed.server.password));
  });
});
