import { z } from 'zod';
import { readAnswer } from './answerShape';
import { renderTable, withNotes } from './table';

const secretsAnswer = z.object({
  secrets: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      consumers: z.array(z.string()),
      current: z
        .object({ version: z.string(), ageDays: z.number(), expiresOn: z.string().nullable() })
        .nullable(),
      nextRotation: z.string().nullable().optional(),
      problem: z.string().optional(),
      lastRotation: z
        .object({ runtimeStatus: z.string(), startedAt: z.string(), outcome: z.string().optional() })
        .nullable(),
    }),
  ),
});

type SecretRow = z.infer<typeof secretsAnswer>['secrets'][number];

/** `shepherd secrets`: every managed secret, its current version's age and expiry, and its next rotation. Never a value. */
export function formatSecrets(body: unknown): string {
  const { secrets } = readAnswer(secretsAnswer, body, 'GET /api/secrets');
  const table = renderTable<SecretRow>(
    [
      { heading: 'secret', cell: (s) => s.name },
      { heading: 'kind', cell: (s) => s.kind },
      { heading: 'consumers', cell: (s) => s.consumers.join(', ') || '-' },
      { heading: 'version', cell: (s) => (s.problem ? 'unknown' : (s.current?.version ?? '(none)')) },
      { heading: 'age', cell: (s) => (s.current ? `${s.current.ageDays} d` : '-') },
      { heading: 'expires', cell: (s) => s.current?.expiresOn ?? '-' },
      { heading: 'next rotation', cell: (s) => (s.problem ? 'unknown' : (s.nextRotation ?? '(manual)')) },
      {
        heading: 'last rotation',
        cell: (s) =>
          s.lastRotation === null
            ? '-'
            : `${s.lastRotation.startedAt} ${s.lastRotation.outcome ?? s.lastRotation.runtimeStatus}`,
      },
    ],
    secrets,
    'No managed secrets: the targets file lists none.',
  );
  const notes = secrets.flatMap((s) => (s.problem ? [`${s.name}: ${s.problem}`] : []));
  return withNotes(table, notes);
}
