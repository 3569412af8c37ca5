import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BackupRecord } from '../../src/domain/backupRecord';
import { planBackupRetention } from '../../src/domain/backupRetention';
import type { BackupBlob, BackupsInUse } from '../../src/domain/backupRetention';
import type { CleanupItem } from '../../src/domain/cleanupPlan';
import { backupRecord } from '../support/backupRecords';

const now = new Date('2026-03-01T02:30:00.000Z');
const daysAgo = (days: number): string => new Date(now.getTime() - days * 86_400_000).toISOString();
const retention = new Map([
  ['web', 30],
  ['shop', 7],
]);
const idle: BackupsInUse = { releases: [], restores: [] };

/** A blob holding a backup of web/appdb taken `age` days ago, verified unless told otherwise. */
function blob(
  name: string,
  age: number,
  record: Partial<BackupRecord> = {},
  blobParts: Partial<BackupBlob> = {},
): BackupBlob {
  return {
    name,
    etag: `"0x${name.length}"`,
    lastModified: daysAgo(age),
    record: backupRecord({ name, takenAt: daysAgo(age), verifiedAt: daysAgo(age), ...record }),
    legalHold: false,
    immutableUntil: undefined,
    ...blobParts,
  };
}

/** The newest verified backup of web/appdb, so rows about older ones are not about that rule. */
const newest = blob('web/appdb/newest.dump', 0.5);

function itemOf(blobs: BackupBlob[], name: string, inUse: BackupsInUse = idle): CleanupItem {
  const item = planBackupRetention(blobs, retention, inUse, now).find((i) => i.id === `backup:${name}`);
  if (!item) throw new Error(`no item for ${name}`);
  return item;
}

describe('backup retention', () => {
  const rows: [string, BackupBlob[], string, CleanupItem['action'], RegExp][] = [
    [
      'keeps the newest verified backup even when it is 90 days old',
      [blob('old', 90)],
      'old',
      'keep',
      /newest verified backup of web\/appdb: always kept/,
    ],
    [
      'deletes a verified backup older than the retention when a newer one is verified',
      [newest, blob('old', 31)],
      'old',
      'delete',
      /older than the 30-day retention/,
    ],
    [
      'keeps a verified backup exactly as old as the retention',
      [newest, blob('edge', 30)],
      'edge',
      'keep',
      /within the 30-day retention/,
    ],
    [
      "applies each target's own retention",
      [blob('shop/new', 0, { target: 'shop' }), blob('shop/old', 8, { target: 'shop' })],
      'shop/old',
      'delete',
      /7-day retention/,
    ],
    [
      'keeps the newest verified backup of each database apart',
      [newest, blob('other', 90, { database: 'billing' })],
      'other',
      'keep',
      /newest verified backup of web\/billing/,
    ],
    [
      'does not count a newer failed backup as the newest verified one',
      [blob('failed', 2, { status: 'verificationFailed' }), blob('old', 90)],
      'old',
      'keep',
      /newest verified/,
    ],
    [
      'does not count a verified backup missing its hash as restorable',
      [blob('nohash', 40, { sha256: null }), blob('old', 90)],
      'nohash',
      'delete',
      /older than/,
    ],
    [
      'deletes a failed verification after a day',
      [newest, blob('failed', 1.5, { status: 'verificationFailed' })],
      'failed',
      'delete',
      /verification failed more than a day ago/,
    ],
    [
      'keeps a failed verification for its first day',
      [newest, blob('failed', 0.9, { status: 'verificationFailed' })],
      'failed',
      'keep',
      /less than a day ago/,
    ],
    [
      'keeps an upload younger than a day: it may be verifying now',
      [newest, blob('fresh', 0.2, { status: 'uploaded', verifiedAt: null })],
      'fresh',
      'keep',
      /may be verifying now/,
    ],
    [
      'keeps a blob whose status was never written while it may be verifying',
      [newest, blob('crash', 0.2, { status: null, verifiedAt: null })],
      'crash',
      'keep',
      /may be verifying now/,
    ],
    [
      'keeps an unverified upload older than a day within the retention',
      [newest, blob('stale', 3, { status: 'uploaded', verifiedAt: null })],
      'stale',
      'keep',
      /never verified, within/,
    ],
    [
      'deletes an unverified upload older than the retention',
      [newest, blob('stale', 31, { status: 'uploaded', verifiedAt: null })],
      'stale',
      'delete',
      /never verified, older than/,
    ],
    [
      'reports a blob without backup metadata and never deletes it',
      [{ ...blob('stray.txt', 400), record: undefined }],
      'stray.txt',
      'report',
      /not a Shepherd backup/,
    ],
    [
      'reports a backup of a target no longer configured',
      [blob('gone/db/x.dump', 400, { target: 'gone' })],
      'gone/db/x.dump',
      'report',
      /no database in the targets file/,
    ],
    [
      'reports an old backup under a legal hold with what retention would do',
      [newest, blob('held', 60, {}, { legalHold: true })],
      'held',
      'report',
      /under a legal hold.*would otherwise be deleted: older than/,
    ],
    [
      'reports an old backup under an immutability policy that has not expired',
      [newest, blob('worm', 60, {}, { immutableUntil: daysAgo(-10) })],
      'worm',
      'report',
      /immutability policy until/,
    ],
    [
      'deletes an old backup whose immutability policy has expired',
      [newest, blob('expired', 60, {}, { immutableUntil: daysAgo(1) })],
      'expired',
      'delete',
      /older than/,
    ],
    [
      'reports a held newest verified backup, still saying why it is kept',
      [blob('held', 90, {}, { legalHold: true })],
      'held',
      'report',
      /legal hold.*newest verified/,
    ],
  ];
  for (const [behaviour, blobs, name, action, why] of rows) {
    it(behaviour, () => {
      const item = itemOf(blobs, name);
      assert.equal(item.action, action);
      assert.match(item.reasons.join('; '), why);
    });
  }

  it('gives a delete what carrying it out needs: the blob and the ETag it was planned on', () => {
    const old = blob('web/appdb/old.dump', 31);
    assert.deepEqual(itemOf([newest, old], old.name).detail, { blob: old.name, etag: old.etag });
  });

  it('says what each backup is, for people', () => {
    const item = itemOf([blob('web/appdb/r.dump', 3, { releaseId: 'release:web:ab12' })], 'web/appdb/r.dump');
    assert.equal(item.what, `backup of web/appdb taken ${daysAgo(3)} before release:web:ab12 (verified)`);
  });

  it('lists every blob once, ordered by name', () => {
    const plan = planBackupRetention(
      [blob('b', 1), blob('a', 2), { ...blob('c', 1), record: undefined }],
      retention,
      idle,
      now,
    );
    assert.deepEqual(
      plan.map((i) => i.id),
      ['backup:a', 'backup:b', 'backup:c'],
    );
  });
});

describe('backups that running work needs', () => {
  const running = (
    releases: BackupsInUse['releases'],
    restores: BackupsInUse['restores'] = [],
  ): BackupsInUse => ({ releases, restores });
  const rows: [string, BackupBlob[], string, BackupsInUse, RegExp][] = [
    [
      'keeps an old backup a running restore reads',
      [newest, blob('old', 60)],
      'old',
      running([], [{ id: 'f00d', backup: 'old' }]),
      /restore f00d is reading it/,
    ],
    [
      'keeps every backup while a restore that has not said which it reads runs',
      [newest, blob('old', 60)],
      'old',
      running([], [{ id: 'beef', backup: undefined }]),
      /restore beef has just started and may read it/,
    ],
    [
      'keeps the backup a running release recorded in its metadata, past the retention',
      [newest, blob('rel', 31, { releaseId: 'release:web:1' })],
      'rel',
      running([{ id: 'release:web:1', target: 'web', backup: undefined }]),
      /taken before release:web:1, which is still running/,
    ],
    [
      'keeps the backup a running release names in its status',
      [newest, blob('named', 31)],
      'named',
      running([{ id: 'release:web:2', target: 'web', backup: 'named' }]),
      /taken before release:web:2/,
    ],
    [
      "keeps the newest backup of a running release's target even before it is verified",
      [blob('verifying', 2, { status: 'uploaded', verifiedAt: null }), blob('old', 40)],
      'verifying',
      running([{ id: 'release:web:3', target: 'web', backup: undefined }]),
      /newest backup of web\/appdb while release:web:3 runs/,
    ],
  ];
  for (const [behaviour, blobs, name, inUse, why] of rows) {
    it(behaviour, () => {
      const item = itemOf(blobs, name, inUse);
      assert.equal(item.action, 'keep');
      assert.match(item.reasons.join('; '), why);
    });
  }

  it("does not keep another target's old backups for a running release", () => {
    const shop = [blob('shop/new', 0, { target: 'shop' }), blob('shop/old', 8, { target: 'shop' })];
    const item = itemOf(
      shop,
      'shop/old',
      running([{ id: 'release:web:4', target: 'web', backup: undefined }]),
    );
    assert.equal(item.action, 'delete');
  });
});
