import { z } from 'zod';
import { readAnswer } from './answerShape';
import { shortImage } from './imageText';
import { renderTable } from './table';

const releasesAnswer = z.object({
  target: z.string(),
  releases: z.array(
    z.object({
      id: z.string(),
      runtimeStatus: z.string(),
      createdTime: z.string(),
      kind: z.string().optional(),
      image: z.string().optional(),
      phase: z.string().optional(),
      trafficPercent: z.number().optional(),
      outcome: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
});

type ReleaseRow = z.infer<typeof releasesAnswer>['releases'][number];

/** `shepherd releases <target>`: the target's releases, newest first, with how each stands or ended. */
export function formatReleases(body: unknown): string {
  const { target, releases } = readAnswer(releasesAnswer, body, 'GET /api/targets/{target}/releases');
  return renderTable<ReleaseRow>(
    [
      { heading: 'release', cell: (r) => r.id },
      { heading: 'kind', cell: (r) => r.kind ?? '-' },
      { heading: 'image', cell: (r) => (r.image ? shortImage(r.image) : '-') },
      { heading: 'started', cell: (r) => r.createdTime },
      {
        heading: 'phase',
        cell: (r) => (r.phase === undefined ? r.runtimeStatus : `${r.phase} ${r.trafficPercent ?? 0}%`),
      },
      { heading: 'outcome', cell: (r) => r.outcome ?? '-' },
      { heading: 'reason', cell: (r) => r.reason ?? '' },
    ],
    releases,
    `No releases of ${target} yet.`,
  );
}
