import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import type { LocalHost } from '../../dev/host/host';
import { buildRoutes, matchRoute } from '../../dev/host/httpTriggers';
import type { HttpRoute } from '../../dev/host/httpTriggers';
import { createShopDatabase } from '../backups/shopDatabase';
import { accessOf } from '../backups/testbed';
import { signedIn } from '../support/easyAuth';
import { startPostgres } from '../support/postgres';
import type { RunningPostgres } from '../support/postgres';
import { rigRegistry, rigTarget, rigVault, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, tempDir, waitFor } from '../support/testHost';
import type { CallOptions } from '../support/testHost';

/** Principal headers as Easy Auth would send them, with the admin role: a forgery while it is off. */
const forged = signedIn('mallory@contoso.com', ['Shepherd.Admin']);
const keyHolder = 'a holder of the function key';

/** One answer Shepherd gave, and which function (by the host's own routing) gave it. */
interface Answer {
  fn: string | undefined;
  request: string;
  status: number;
  headers: string;
  body: string;
}

interface OperationView {
  kind: string;
  runtimeStatus: string;
  customStatus: { outcome?: string; requestedBy?: string; replacesExisting?: boolean | null };
}

interface ReleaseView {
  phase: string;
  runtimeStatus: string;
  outcome?: string;
  reason?: string;
  approval?: { by: string };
  requestedBy?: { by: string };
}

describe('a function-key holder, with App Service authentication off', () => {
  let postgres: RunningPostgres;
  let azurite: RunningAzurite;
  let rig: ReleaseRig;
  let host: LocalHost;
  let routes: HttpRoute[];
  const answers: Answer[] = [];

  before(async () => {
    postgres = await startPostgres();
    const server = accessOf(postgres.url);
    await createShopDatabase(server, 'shop');
    azurite = await startAzurite({ location: tempDir('key-holder-azurite') });
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
      settings: { SHEPHERD_BACKUP_STORAGE: azurite.connectionString },
      targets: (sandboxUrl) => [
        rigTarget('web', {
          strategy: 'blueGreen',
          approval: { required: true, timeoutMinutes: 30 },
          bakeMinutes: 0,
          database: {
            host: server.host,
            port: server.port,
            name: 'shop',
            user: server.user,
            sslMode: 'disable',
            credential: { keyVaultSecretUri: `${sandboxUrl}/secrets/shop-db-password` },
            backups: { enabled: false },
          },
        }),
        rigTarget('api'),
      ],
    });
    if (!rig.host) throw new Error('the rig runs the host in this process');
    host = rig.host;
    routes = buildRoutes(host.core.functions.values());
    const secrets = rigVault(rig);
    await secrets.setSecret('shop-db-password', server.password);
  });

  after(async () => {
    await rig.stop();
    await azurite.stop();
    await postgres.stop();
  });

  /** One request to Shepherd with the function key (unless told), kept for the sweep at the end. */
  async function ask(method: string, path: string, options: CallOptions & { withoutKey?: true } = {}) {
    const { withoutKey, ...rest } = options;
    const res = await call(host.url, path, {
      method,
      ...(withoutKey ? {} : { key: rig.functionKey }),
      ...rest,
    });
    const match = matchRoute(routes, method, new URL(path, host.url).pathname.replace(/^\/api\//, ''));
    answers.push({
      fn: match && 'route' in match ? match.route.fn.name : undefined,
      request: `${method} ${path}`,
      status: res.status,
      headers: JSON.stringify([...res.headers]),
      body: res.text,
    });
    return res;
  }

  /** Follows a 202's Location until the backup or restore it names has ended. */
  function ended(accepted: { status: number; headers: Headers; text: string }): Promise<OperationView> {
    assert.equal(accepted.status, 202, accepted.text);
    const location = accepted.headers.get('location') ?? '';
    assert.match(location, /^\/api\/targets\/web\/operations\//);
    return waitFor(
      `${location} to end`,
      async () => {
        const res = await ask('GET', location);
        return res.status === 200 ? (res.body as OperationView) : undefined;
      },
      60_000,
    );
  }

  /** Pushes contoso/web:`tag` and waits until its release waits for approval; returns its id. */
  async function awaitingApproval(tag: string): Promise<string> {
    const push = await rig.sandbox.registry.push(`contoso/web:${tag}`);
    const release = await waitFor(
      `the release of ${tag} to wait for approval`,
      () =>
        Promise.resolve(
          host.engine
            .list()
            .find(
              (s) =>
                (s.input as { digest?: string }).digest === push.digest &&
                (s.customStatus as { phase?: string } | null)?.phase === 'awaitingApproval',
            ),
        ),
      90_000,
    );
    return release.instanceId;
  }

  /** The release `id` as its status route shows it, once it is done. */
  function releaseDone(id: string): Promise<ReleaseView> {
    return waitFor(
      `release ${id} to end`,
      async () => {
        const view = (await ask('GET', `/api/releases/${encodeURIComponent(id)}`)).body as ReleaseView;
        return view.runtimeStatus === 'Completed' ? view : undefined;
      },
      90_000,
    );
  }

  function restoresStarted(): number {
    return host.engine.list().filter((i) => i.name === 'restore').length;
  }

  let releaseId: string;
  let backupRun: string;
  let backupName: string;

  it('is recorded as the key holder, not the principal its headers name, when it rejects a release', async () => {
    releaseId = await awaitingApproval('2.0.0');
    const rejected = await ask('POST', `/api/releases/${encodeURIComponent(releaseId)}/reject`, {
      headers: forged,
    });
    assert.equal(rejected.status, 202, rejected.text);
    const release = await releaseDone(releaseId);
    assert.deepEqual(
      [release.outcome, release.reason, release.approval?.by],
      ['rejected', `rejected by ${keyHolder}`, keyHolder],
    );
  });

  it('is recorded as the key holder when it asks for a rollback', async () => {
    const res = await ask('POST', '/api/targets/web/rollback', {
      body: { reason: 'drill' },
      headers: forged,
    });
    assert.equal(res.status, 202, res.text);
    const rollback = await releaseDone((res.body as { rollingBack: string }).rollingBack);
    assert.deepEqual(rollback.requestedBy, { by: keyHolder, reason: 'drill' });
  });

  it('is recorded as the key holder when it takes a backup and restores it', async () => {
    const accepted = await ask('POST', '/api/targets/web/backups', { headers: forged });
    backupRun = (accepted.body as { id: string }).id;
    const backup = await ended(accepted);
    assert.deepEqual(
      [backup.customStatus.outcome, backup.customStatus.requestedBy],
      ['succeeded', keyHolder],
    );
    backupName = (backup.customStatus as { backup?: { name: string } }).backup?.name ?? '';
    const restore = await ended(
      await ask('POST', '/api/targets/web/restores', {
        body: { backup: backupName, database: 'shop_copy' },
        headers: forged,
      }),
    );
    assert.deepEqual(
      [restore.kind, restore.customStatus.outcome, restore.customStatus.requestedBy],
      ['restore', 'succeeded', keyHolder],
    );
  });

  it('cannot replace a database, even with a forged principal holding the admin role; the admin key can', async () => {
    const restores = restoresStarted();
    const body = { backup: backupName, database: 'shop_copy' };
    const refused = await ask('POST', '/api/targets/web/restores', {
      body: { ...body, overwrite: true },
      headers: forged,
    });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.headers.get('content-type'), 'application/problem+json');
    assert.match(
      (refused.body as { detail: string }).detail,
      /ask POST \/api\/targets\/web\/restores\/overwrite with the admin \(master\) key, or turn on App Service authentication and sign in with the Shepherd\.Admin app role\.$/,
    );
    assert.equal((await ask('POST', '/api/targets/web/restores/overwrite', { body })).status, 401);
    await host.idle();
    assert.equal(restoresStarted(), restores, 'nothing started');

    const replaced = await ended(
      await ask('POST', '/api/targets/web/restores/overwrite', { body, key: `master-${rig.functionKey}` }),
    );
    assert.deepEqual(
      [
        replaced.customStatus.outcome,
        replaced.customStatus.replacesExisting,
        replaced.customStatus.requestedBy,
      ],
      ['succeeded', true, 'a holder of the admin key'],
    );
  });

  it("reads a backup's run under its own target only, and no release on the operations route", async () => {
    assert.equal((await ask('GET', `/api/targets/web/operations/${backupRun}`)).status, 200);
    for (const path of [
      `/api/targets/api/operations/${backupRun}`,
      `/api/targets/web/operations/${encodeURIComponent(releaseId)}`,
      `/api/targets/nope/operations/${backupRun}`,
    ]) {
      const res = await ask('GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
    }
  });

  it('never gets a system key or the master key in any answer of any route it can call', async () => {
    const release = `/api/releases/${encodeURIComponent(releaseId)}`;
    await ask('GET', '/api/health', { withoutKey: true });
    await ask('GET', '/api/health/details', { withoutKey: true });
    await ask('POST', '/api/targets/web/backups', { withoutKey: true });
    await ask('GET', '/api/health/details');
    await ask('GET', '/api/targets', { withoutKey: true });
    await ask('GET', '/api/targets');
    await ask('GET', '/api/dashboard', { withoutKey: true });
    await ask('GET', '/api/dashboard');
    await ask('GET', '/api/dashboard/assets/main.js', { withoutKey: true });
    await ask('GET', '/api/dashboard/assets/..%2F..%2Fpackage.json', { withoutKey: true });
    await ask('GET', '/api/targets/web/releases');
    await ask('GET', '/api/targets/nope/releases');
    await ask('GET', '/api/targets/web/backups');
    await ask('GET', '/api/targets/nope/backups');
    await ask('POST', `${release}/approve`);
    await ask('POST', '/api/releases/nope/approve');
    await ask('POST', '/api/targets/web/rollback', { body: {} });
    await ask('POST', '/api/targets/web/restores', { body: { backup: 'web/none.dump', database: 'x' } });
    await ask('POST', '/api/targets/web/releases', { body: { image: 'no-such-tag', reason: 'sweep' } });
    await ask('GET', '/api/secrets');
    await ask('GET', '/api/secrets/nope');
    await ask('POST', '/api/secrets/nope/rotate', { body: { reason: 'sweep' } });
    await ask('GET', '/api/rotations/nope');
    await ask('POST', '/api/hooks/acr', { body: { action: 'push' } });
    await ask('POST', '/api/hooks/azure-monitor?secret=wrong', { body: {} });
    await ask('GET', '/api/audit?target=web');
    await ask('GET', '/api/audit?top=0');
    await ask('GET', '/api/freezes');
    await ask('GET', `/api/images/sha256:${'0'.repeat(64)}`);
    await ask('GET', '/api/images/latest');
    await ask('POST', '/api/cleanup/drift?dryRun=true');
    await ask('GET', '/api/cleanup/runs/nope');
    await ask('PUT', '/api/environments/nope/freeze', { body: { reason: 'sweep' } });
    await ask('DELETE', '/api/environments/nope/freeze', { body: { reason: 'sweep' } });
    await ask('GET', '/api/nothing-here');
    // A running release stopped by a person: the other 202 a rollback gives.
    const running = await awaitingApproval('2.1.0');
    await ask('POST', `/api/releases/${encodeURIComponent(running)}/approve`, { body: [1] });
    const aborted = await ask('POST', '/api/targets/web/rollback', { body: { reason: 'sweep' } });
    assert.deepEqual(aborted.body, { aborted: [running] });

    const callable = routes.filter((r) => r.authLevel !== 'admin').map((r) => r.fn.name);
    const answered = new Set(answers.map((a) => a.fn));
    assert.deepEqual(
      callable.filter((fn) => !answered.has(fn)),
      [],
      'every route a function-key holder can call was asked',
    );
    const { master, system } = host.keys;
    assert.ok(system.durabletask_extension, 'the durable client carries a system key of its own');
    assert.notEqual(system.durabletask_extension, master);
    const secrets = [master, ...Object.values(system)];
    const leaks = answers.filter((a) =>
      secrets.some((key) =>
        [a.headers, a.body].some((text) => text.includes(key) || text.includes(encodeURIComponent(key))),
      ),
    );
    assert.deepEqual(
      leaks.map((a) => a.request),
      [],
      `${answers.length} answers were searched`,
    );
  });
});
