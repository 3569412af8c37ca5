import { z } from 'zod';
import { readAnswer } from './answerShape';
import { imageCell } from './imageText';
import { renderTable, withNotes } from './table';

const targetsAnswer = z.object({
  targets: z.array(
    z.object({
      name: z.string(),
      environment: z.string(),
      strategy: z.string(),
      production: z.string().nullable().optional(),
      slot: z.string().nullable().optional(),
      knownGood: z.object({ latest: z.string().optional() }).optional(),
      freezes: z.array(z.object({ holds: z.string(), source: z.string(), reason: z.string() })).optional(),
      release: z
        .object({ id: z.string(), phase: z.string(), trafficPercent: z.number() })
        .nullable()
        .optional(),
      unknown: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

type TargetRow = z.infer<typeof targetsAnswer>['targets'][number];

/**
 * `shepherd targets`: one row per target (what production and the slot run, the known-good image,
 * freezes, the release in progress), then a note for each freeze and each read that failed.
 */
export function formatTargets(body: unknown): string {
  const { targets } = readAnswer(targetsAnswer, body, 'GET /api/targets');
  const table = renderTable<TargetRow>(
    [
      { heading: 'target', cell: (t) => t.name },
      { heading: 'environment', cell: (t) => t.environment },
      { heading: 'strategy', cell: (t) => t.strategy },
      { heading: 'production', cell: (t) => imageCell(t.production) },
      { heading: 'slot', cell: (t) => imageCell(t.slot) },
      {
        heading: 'known good',
        cell: (t) => (t.knownGood ? imageCell(t.knownGood.latest ?? null) : 'unknown'),
      },
      {
        heading: 'frozen',
        cell: (t) => (t.freezes ? t.freezes.map((f) => f.source).join(', ') || 'no' : 'unknown'),
      },
      { heading: 'release', cell: (t) => (t.release === undefined ? 'unknown' : (t.release?.id ?? '-')) },
      {
        heading: 'phase',
        cell: (t) => (t.release ? `${t.release.phase} ${t.release.trafficPercent}%` : '-'),
      },
    ],
    targets,
    'No targets: the targets file lists none.',
  );
  const notes = targets.flatMap((t) => [
    ...(t.freezes ?? []).map((f) => `${t.name}: frozen (${f.source}, ${f.holds}): ${f.reason}`),
    ...Object.entries(t.unknown ?? {}).map(([read, why]) => `${t.name}: ${read} unknown: ${why}`),
  ]);
  return withNotes(table, notes);
}
