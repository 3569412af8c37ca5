import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backupBlobName, backupPrefix, isBackupOf, plainDatabaseName } from '../../src/domain/backupName';

describe('backup blob names', () => {
  const takenAt = new Date('2025-01-02T03:04:05.678Z');

  it('say target, database, UTC time and release', () => {
    assert.equal(
      backupBlobName({ target: 'web', database: 'appdb', takenAt, releaseId: 'release:web:0a1b2c' }),
      'web/appdb/20250102T030405.678Z_release-web-0a1b2c.dump',
    );
  });

  it('say on-demand when no release asked for the backup', () => {
    assert.equal(
      backupBlobName({ target: 'web', database: 'appdb', takenAt, releaseId: null }),
      'web/appdb/20250102T030405.678Z_on-demand.dump',
    );
  });

  it('sort by time within a database', () => {
    const names = ['2025-03-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z', '2025-01-01T00:00:00.000Z'].map(
      (t) => backupBlobName({ target: 'web', database: 'appdb', takenAt: new Date(t), releaseId: null }),
    );
    assert.deepEqual([...names].sort(), [names[1], names[2], names[0]]);
  });

  it("tell a target's backups from another's", () => {
    assert.equal(backupPrefix('web'), 'web/');
    assert.equal(isBackupOf('web', 'web/appdb/x.dump'), true);
    assert.equal(isBackupOf('web', 'web-2/appdb/x.dump'), false);
    assert.equal(isBackupOf('web', 'api/appdb/x.dump'), false);
    assert.equal(isBackupOf('web', 'web/../api/appdb/x.dump'), false);
  });

  const names: [string, boolean][] = [
    ['appdb', true],
    ['_private', true],
    ['app-db_2', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['1db', false],
    ['host=evil', false],
    ['postgres://x', false],
    ['my db', false],
    ['', false],
  ];
  for (const [name, plain] of names) {
    it(`${plain ? 'takes' : 'refuses'} "${name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name}" as a database name`, () =>
      assert.equal(plainDatabaseName.test(name), plain));
  }
});
