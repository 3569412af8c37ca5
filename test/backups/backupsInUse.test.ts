import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBackupsInUse } from '../../src/backupsInUse';

describe('the backups running instances need', () => {
  it('reads each release by its status, or by its id before it has one', () => {
    const inUse = toBackupsInUse([
      {
        name: 'release',
        instanceId: 'release:web:0a1b',
        customStatus: {
          target: 'web',
          phase: 'canary',
          backup: { name: 'web/appdb/x.dump', sizeBytes: 1, sha256: 'ab' },
        },
      },
      { name: 'release', instanceId: 'release:shop:rollback-9f', customStatus: null },
    ]);
    assert.deepEqual(inUse.releases, [
      { id: 'release:web:0a1b', target: 'web', backup: 'web/appdb/x.dump' },
      { id: 'release:shop:rollback-9f', target: 'shop', backup: undefined },
    ]);
  });

  it('reads the backup each restore names, and counts one that has not said yet as unknown', () => {
    const inUse = toBackupsInUse([
      {
        name: 'restore',
        instanceId: 'a1',
        customStatus: { target: 'web', backup: 'web/appdb/y.dump', phase: 'restoring' },
      },
      { name: 'restore', instanceId: 'b2', customStatus: null },
    ]);
    assert.deepEqual(inUse.restores, [
      { id: 'a1', backup: 'web/appdb/y.dump' },
      { id: 'b2', backup: undefined },
    ]);
  });

  it('ignores other orchestrations', () => {
    const inUse = toBackupsInUse([
      { name: 'rotation', instanceId: 'rotation:x:1', customStatus: { backup: 'z' } },
    ]);
    assert.deepEqual(inUse, { releases: [], restores: [] });
  });
});
