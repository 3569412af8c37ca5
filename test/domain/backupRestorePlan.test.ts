import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BackupRecord } from '../../src/domain/backupRecord';
import { decideRestore } from '../../src/domain/backupRestorePlan';
import type { RestoreDecision } from '../../src/domain/backupRestorePlan';
import { backupRecord } from '../support/backupRecords';

const verified = backupRecord();

describe('whether a restore goes ahead', () => {
  const rows: {
    rule: string;
    backup: BackupRecord | undefined;
    databaseExists: boolean;
    overwrite: boolean;
    expected: RestoreDecision['action'] | `refuse:${string}`;
  }[] = [
    {
      rule: 'a verified backup into a new database',
      backup: verified,
      databaseExists: false,
      overwrite: false,
      expected: 'create',
    },
    {
      rule: 'overwrite asked but nothing to overwrite',
      backup: verified,
      databaseExists: false,
      overwrite: true,
      expected: 'create',
    },
    {
      rule: 'over an existing database with overwrite',
      backup: verified,
      databaseExists: true,
      overwrite: true,
      expected: 'replace',
    },
    {
      rule: 'over an existing database without overwrite',
      backup: verified,
      databaseExists: true,
      overwrite: false,
      expected: 'refuse:databaseExists',
    },
    {
      rule: 'a backup that does not exist',
      backup: undefined,
      databaseExists: false,
      overwrite: true,
      expected: 'refuse:backupNotFound',
    },
    {
      rule: 'a backup not yet verified',
      backup: { ...verified, status: 'uploaded' },
      databaseExists: false,
      overwrite: false,
      expected: 'refuse:backupNotUsable',
    },
    {
      rule: 'a backup that failed verification',
      backup: { ...verified, status: 'verificationFailed' },
      databaseExists: false,
      overwrite: false,
      expected: 'refuse:backupNotUsable',
    },
    {
      rule: 'a blob with no status at all',
      backup: { ...verified, status: null },
      databaseExists: false,
      overwrite: false,
      expected: 'refuse:backupNotUsable',
    },
  ];
  for (const row of rows) {
    it(`${row.expected.startsWith('refuse') ? 'refuses' : row.expected === 'create' ? 'creates' : 'replaces'} for ${row.rule}`, () => {
      const decision = decideRestore({
        backup: row.backup,
        backupName: verified.name,
        database: 'appdb_copy',
        databaseExists: row.databaseExists,
        overwrite: row.overwrite,
      });
      assert.equal(
        decision.action === 'refuse' ? `refuse:${decision.problem}` : decision.action,
        row.expected,
      );
    });
  }

  it('says why, in words a caller can act on', () => {
    const base = { backupName: verified.name, database: 'appdb_copy', overwrite: false };
    const reasons = [
      decideRestore({ ...base, backup: undefined, databaseExists: false }),
      decideRestore({
        ...base,
        backup: { ...verified, status: 'verificationFailed' },
        databaseExists: false,
      }),
      decideRestore({ ...base, backup: { ...verified, status: null }, databaseExists: false }),
      decideRestore({ ...base, backup: verified, databaseExists: true }),
    ].map((d) => (d.action === 'refuse' ? d.reason : d.action));
    assert.deepEqual(reasons, [
      'there is no backup web/appdb/x.dump',
      'the backup web/appdb/x.dump is verificationFailed; only a verified backup is restored',
      'the backup web/appdb/x.dump was never verified; only a verified backup is restored',
      'the database appdb_copy exists; to replace it, ask again with "overwrite": true',
    ]);
  });
});
