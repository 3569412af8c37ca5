import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TokenCredential } from '@azure/identity';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { LocalHost } from '../../dev/host/host';
import { setLogSink } from '../../dev/host/log';
import { TableAuditLog } from '../../src/azure/auditLog';
import { openStateTable, stateTableName } from '../../src/azure/stateTable';
import type { AuditEntry, AuditSubject } from '../../src/domain/auditEntry';
import { call, repoRoot, tempDir } from '../support/testHost';

const functionKey = 'audit-function-key-0123456789';
const taskHub = 'AuditHttp';

/** Writing with a connection string needs no token; asking for one would be a bug. */
const noToken: TokenCredential = { getToken: () => Promise.reject(new Error('no token expected')) };

const web: AuditSubject = { kind: 'target', name: 'web' };
const api: AuditSubject = { kind: 'target', name: 'api' };
const secret: AuditSubject = { kind: 'secret', name: 'db-password' };

/** Entry `n` of the trail: a minute after the one before it, from 10:00, about `subject`. */
function entryAt(n: number, subject: AuditSubject): AuditEntry {
  return {
    id: `test:${n}`,
    at: new Date(Date.parse('2026-03-02T10:00:00.000Z') + n * 60_000).toISOString(),
    action: 'release.window',
    subject,
    by: { kind: 'shepherd' },
    outcome: 'pass',
    detail: `entry ${n}`,
    operation: { kind: 'release', id: `release:${subject.name}:1` },
  };
}

interface Page {
  entries: AuditEntry[];
  continuation?: string;
}

describe('GET /api/audit, through the local host, over Azurite with the real Table storage SDK', () => {
  let azurite: RunningAzurite;
  let host: LocalHost;
  const logs: string[] = [];
  // Written out of order and in several writes: the trail must order them itself.
  const subjects = [web, api, secret, web, web, api, secret, web, api, web];
  const trail = subjects.map((s, i) => entryAt(i, s));
  const newestFirst = (entries: AuditEntry[]): AuditEntry[] =>
    [...entries].sort((a, b) => b.at.localeCompare(a.at));

  before(async () => {
    azurite = await startAzurite({ location: tempDir('audit-azurite') });
    setLogSink((line) => logs.push(line));
    host = await LocalHost.start({
      appDir: repoRoot,
      port: 0,
      dataDir: tempDir('audit-host'),
      settings: {
        Values: {
          SHEPHERD_TASK_HUB: taskHub,
          SHEPHERD_TARGETS_FILE: 'dev/targets.sandbox.json',
          SHEPHERD_ACR_WEBHOOK_SECRET: 'audit-webhook-secret-0123456789',
          SHEPHERD_ALERT_WEBHOOK_SECRET: 'audit-alert-secret-0123456789',
          SHEPHERD_STATE_STORAGE: azurite.connectionString,
        },
        Keys: { master: `master-${functionKey}`, host: { default: functionKey }, functions: {}, system: {} },
      },
    });
  });

  after(async () => {
    await host.stop();
    await azurite.stop();
  });

  const audit = (): TableAuditLog =>
    new TableAuditLog(
      openStateTable(
        { connectionString: azurite.connectionString },
        noToken,
        stateTableName(taskHub, 'Audit'),
      ),
    );

  async function read(query = ''): Promise<Page> {
    const res = await call(host.url, `/api/audit${query}`, { key: functionKey });
    assert.equal(res.status, 200, res.text);
    return res.body as Page;
  }

  /** Every page of `query`, `top` at a time, checking each page's size. */
  async function readAll(query: string, top: number): Promise<{ entries: AuditEntry[]; pages: number }> {
    const entries: AuditEntry[] = [];
    let pages = 0;
    let continuation: string | undefined;
    do {
      const more = continuation === undefined ? '' : `&continuation=${continuation}`;
      const page = await read(`?top=${top}${query}${more}`);
      pages += 1;
      assert.ok(page.entries.length <= top);
      if (page.continuation !== undefined)
        assert.equal(page.entries.length, top, 'only a full page has a next');
      entries.push(...page.entries);
      continuation = page.continuation;
    } while (continuation !== undefined && pages < 20);
    return { entries, pages };
  }

  it('answers an empty trail before anything was written, creating its table', async () => {
    assert.deepEqual(await read(), { entries: [] });
  });

  it('reads every entry newest first across targets and secrets, whatever order they were written in', async () => {
    const log = audit();
    await log.record([trail[7], trail[2], trail[9]].filter((e) => e !== undefined));
    await log.record(trail.filter((_, i) => ![2, 7, 9].includes(i)).reverse());
    const all = await read();
    assert.deepEqual(all.entries, newestFirst(trail));
    assert.equal(all.continuation, undefined);
  });

  it('keeps an entry written twice (a retried activity) once, in its subject’s trail and in the whole trail', async () => {
    const again = trail[4];
    assert.ok(again);
    await audit().record([again]);
    await audit().record([again, again]);
    const everything = await read();
    assert.equal(everything.entries.filter((e) => e.id === again.id).length, 1);
    assert.equal(everything.entries.length, trail.length);
    const own = await read('?target=web');
    assert.equal(own.entries.filter((e) => e.id === again.id).length, 1);
  });

  it('reads one target’s or one secret’s trail alone, newest first', async () => {
    assert.deepEqual(
      (await read('?target=web')).entries,
      newestFirst(trail.filter((e) => e.subject.kind === 'target' && e.subject.name === 'web')),
    );
    assert.deepEqual(
      (await read('?secret=db-password')).entries,
      newestFirst(trail.filter((e) => e.subject.kind === 'secret')),
    );
    assert.deepEqual((await read('?target=db-password')).entries, [], 'a secret is not a target');
    assert.deepEqual((await read('?target=gone')).entries, [], 'a target without entries');
  });

  it('reads a time range, from inclusive to exclusive, alone or with a subject', async () => {
    const from = trail[3]?.at ?? '';
    const to = trail[8]?.at ?? '';
    const inRange = (e: AuditEntry): boolean => e.at >= from && e.at < to;
    assert.deepEqual((await read(`?from=${from}&to=${to}`)).entries, newestFirst(trail.filter(inRange)));
    assert.deepEqual(
      (await read(`?target=web&from=${from}&to=${to}`)).entries,
      newestFirst(trail.filter((e) => inRange(e) && e.subject.name === 'web')),
    );
    assert.deepEqual(
      (await read(`?from=${encodeURIComponent('2026-03-02T12:00:00+02:00')}`)).entries,
      newestFirst(trail.filter((e) => e.at >= '2026-03-02T10:00:00.000Z')),
      'an offset is read as the moment it names',
    );
  });

  it('pages through the whole trail and through a filtered one, each entry once, in order', async () => {
    const whole = await readAll('', 3);
    assert.deepEqual(whole.entries, newestFirst(trail));
    assert.equal(whole.pages, 4);
    const from = trail[1]?.at ?? '';
    const webSince = await readAll(`&target=web&from=${from}`, 2);
    assert.deepEqual(
      webSince.entries,
      newestFirst(trail.filter((e) => e.subject.name === 'web' && e.at >= from)),
    );
  });

  it('reads at most 50 entries unless asked for more, and up to 200', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...entryAt(100 + i, api), id: `many:${i}` }));
    await audit().record(many);
    const first = await read('?target=api');
    assert.equal(first.entries.length, 50);
    assert.ok(first.continuation);
    const all = await read('?target=api&top=200');
    assert.equal(all.entries.length, 60 + trail.filter((e) => e.subject.name === 'api').length);
    assert.equal(all.continuation, undefined);
  });

  const badQueries: [string, RegExp][] = [
    ['?targte=web', /targte/],
    ['?target=web&secret=db-password', /one of target, secret, environment, budget or cleanup, not several/],
    ['?target=Web!', /expected a target name/],
    ['?from=yesterday', /ISO 8601/],
    ['?from=2026-03-02T11:00:00Z&to=2026-03-02T10:00:00Z', /from must be before to/],
    ['?top=0', /from 1 to 200/],
    ['?top=201', /from 1 to 200/],
    ['?top=ten', /from 1 to 200/],
  ];
  for (const [query, problem] of badQueries)
    it(`answers 400 with what is wrong for ${query}`, async () => {
      const res = await call(host.url, `/api/audit${query}`, { key: functionKey });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.match(res.text, problem);
    });

  it('answers 400 for a continuation it did not give', async () => {
    const res = await call(
      host.url,
      `/api/audit?continuation=${Buffer.from("' or 1 eq 1").toString('base64url')}`,
      {
        key: functionKey,
      },
    );
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /continuation/);
  });

  it('is only for holders of a function key', async () => {
    assert.equal((await call(host.url, '/api/audit')).status, 401);
  });

  it('answers 503 when the storage cannot be reached, naming neither its key nor its connection string', async () => {
    await azurite.stop();
    const res = await call(host.url, '/api/audit', { key: functionKey });
    assert.equal(res.status, 503, res.text);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const key = /AccountKey=([^;]+)/.exec(azurite.connectionString)?.[1] ?? 'unset';
    for (const text of [res.text, ...logs]) {
      assert.ok(!text.includes(key), text);
      assert.ok(!text.includes(azurite.connectionString), text);
    }
    assert.ok(
      logs.some((l) => /reading the audit trail failed/.test(l)),
      'the failure is logged',
    );
  });
});
