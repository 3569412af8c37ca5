import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TokenCredential } from '@azure/identity';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { TableFreezeStore } from '../../src/azure/freezeStore';
import { openStateTable } from '../../src/azure/stateTable';
import type { Freeze } from '../../src/domain/freeze';
import { tempDir } from '../support/testHost';

const noToken: TokenCredential = { getToken: () => Promise.reject(new Error('no token expected')) };

function manual(environment: string, reason = 'release train closed'): Freeze {
  return {
    scope: { kind: 'environment', name: environment },
    id: 'manual',
    source: 'manual',
    reason,
    by: { kind: 'person', name: 'ana@contoso.com' },
    since: '2026-11-30T10:00:00.000Z',
    releasesRunning: ['web:sha256-1'],
  };
}

const lifted = {
  at: '2026-11-30T12:00:00.000Z',
  by: { kind: 'person' as const, name: 'ben' },
  reason: 'done',
};

describe('the freeze store, in Table storage (Azurite) with the real SDK', () => {
  let azurite: RunningAzurite;
  let table = 0;
  /** A store over a table of its own; `again` opens a second store on the same table, as another instance would. */
  const stores = (): { store: TableFreezeStore; again: () => TableFreezeStore } => {
    const name = `FreezeTest${++table}`;
    const open = (): TableFreezeStore =>
      new TableFreezeStore(openStateTable({ connectionString: azurite.connectionString }, noToken, name));
    return { store: open(), again: open };
  };

  before(async () => {
    azurite = await startAzurite({ location: tempDir('freeze-azurite') });
  });
  after(async () => {
    await azurite.stop();
  });

  it('keeps a freeze as set, and a second set of the same cause finds it held', async () => {
    const { store, again } = stores();
    assert.deepEqual(await store.begin(manual('staging')), { freeze: manual('staging'), began: true });
    const second = await again().begin(manual('staging', 'another reason'));
    assert.equal(second.began, false);
    assert.equal(second.freeze.reason, 'release train closed', 'the one that holds is answered unchanged');
    assert.deepEqual(await store.unlifted(), [manual('staging')]);
  });

  it('changes a held freeze when asked, keeping when it began', async () => {
    const { store } = stores();
    await store.begin(manual('staging'));
    const changed = await store.begin(
      { ...manual('staging', 'new reason'), since: '2026-11-30T11:00:00.000Z' },
      (held) => ({ ...held, reason: 'new reason', until: '2026-12-02T00:00:00.000Z' }),
    );
    assert.equal(changed.began, false);
    assert.equal(changed.freeze.since, '2026-11-30T10:00:00.000Z');
    const stored = (await store.unlifted()).at(0);
    assert.equal(stored?.reason, 'new reason');
    assert.equal(stored.until, '2026-12-02T00:00:00.000Z');
  });

  it('lifts a freeze once, keeps it for the record, and sets it anew after', async () => {
    const { store } = stores();
    await store.begin(manual('staging'));
    assert.deepEqual(
      (await store.lift({ kind: 'environment', name: 'staging' }, 'manual', lifted))?.lifted,
      lifted,
    );
    assert.equal(await store.lift({ kind: 'environment', name: 'staging' }, 'manual', lifted), undefined);
    assert.deepEqual(await store.unlifted(), []);
    assert.deepEqual(
      (await store.all()).map((f) => f.lifted),
      [lifted],
    );
    assert.equal((await store.begin(manual('staging'))).began, true, 'a lifted freeze does not hold');
  });

  it('begins a freeze anew over one whose until has passed', async () => {
    const { store } = stores();
    await store.begin({ ...manual('staging'), until: '2026-01-01T00:00:00.000Z' });
    const again = await store.begin({
      ...manual('staging', 'closed again'),
      since: '2026-11-30T11:00:00.000Z',
    });
    assert.equal(again.began, true);
    assert.equal(again.freeze.since, '2026-11-30T11:00:00.000Z');
    assert.deepEqual(
      (await store.unlifted()).map((f) => [f.reason, f.until]),
      [['closed again', undefined]],
    );
  });

  it('makes one freeze of a flood of alerts on a target, lifted when the last is resolved', async () => {
    const { store, again } = stores();
    const template: Freeze = {
      scope: { kind: 'target', name: 'web' },
      id: 'alert',
      source: 'alert',
      reason: 'alert http-5xx is firing',
      by: { kind: 'alert', rule: 'http-5xx' },
      since: '2026-11-30T10:00:00.000Z',
      releasesRunning: [],
    };
    const began = await Promise.all(
      ['a1', 'a1', 'a2', 'a1', 'a2'].map((id, i) =>
        (i % 2 === 0 ? store : again()).holdForAlert(template, id),
      ),
    );
    assert.equal(began.filter((b) => b.began).length, 1, 'one freeze began');
    const held = (await store.unlifted()).at(0);
    assert.deepEqual([...(held?.alerts ?? [])].sort(), ['a1', 'a2']);
    assert.deepEqual(
      await store.releaseAlert('web', 'a1', lifted).then((r) => r?.lifted),
      false,
      'a2 still fires',
    );
    assert.deepEqual(await store.releaseAlert('web', 'a2', lifted).then((r) => r?.lifted), true);
    assert.deepEqual(await store.unlifted(), []);
    assert.equal(await store.releaseAlert('web', 'a2', lifted), undefined, 'nothing holds any more');
  });

  it('lets exactly one of two instances setting the same freeze at once begin it', async () => {
    const { store, again } = stores();
    const results = await Promise.all([store, again(), again(), again()].map((s) => s.begin(manual('prod'))));
    assert.equal(results.filter((r) => r.began).length, 1);
    assert.equal((await store.all()).length, 1);
  });
});
