import { z } from 'zod';
import { readAnswer } from './answerShape';
import { renderTable } from './table';

const backupsAnswer = z.object({
  target: z.string(),
  backups: z.array(
    z.object({
      name: z.string(),
      database: z.string(),
      takenAt: z.string(),
      status: z.string().nullable(),
      usable: z.boolean(),
      sizeBytes: z.number().nullable(),
      releaseId: z.string().nullable(),
      reason: z.string().nullable().optional(),
    }),
  ),
});

type BackupRow = z.infer<typeof backupsAnswer>['backups'][number];

/** `shepherd backups <target>`: the target's backups, newest first; only usable ones can be restored. */
export function formatBackups(body: unknown): string {
  const { target, backups } = readAnswer(backupsAnswer, body, 'GET /api/targets/{target}/backups');
  return renderTable<BackupRow>(
    [
      { heading: 'backup', cell: (b) => b.name },
      { heading: 'database', cell: (b) => b.database },
      { heading: 'taken', cell: (b) => b.takenAt },
      { heading: 'status', cell: (b) => b.status ?? 'unknown' },
      { heading: 'usable', cell: (b) => (b.usable ? 'yes' : 'no') },
      { heading: 'size', cell: (b) => (b.sizeBytes === null ? '-' : byteSize(b.sizeBytes)) },
      { heading: 'release', cell: (b) => b.releaseId ?? '(on demand)' },
      { heading: 'reason', cell: (b) => b.reason ?? '' },
    ],
    backups,
    `No backups of ${target}.`,
  );
}

/** A size as people read it: bytes up to a KiB, then KiB, MiB, GiB with one decimal. */
export function byteSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}
