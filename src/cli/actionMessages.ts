import { z } from 'zod';
import { readAnswer } from './answerShape';

const approvalAnswer = z.union([z.object({ approved: z.string() }), z.object({ rejected: z.string() })]);

/** What `approve` or `reject` did. */
export function approvalMessage(body: unknown): string {
  const answer = readAnswer(approvalAnswer, body, 'an approval');
  return 'approved' in answer
    ? `Approved release ${answer.approved}: traffic moves on. Follow it with: shepherd status ${answer.approved}\n`
    : `Rejected release ${answer.rejected}: it ends without moving traffic.\n`;
}

const rollbackAnswer = z.union([
  z.object({ aborted: z.array(z.string()) }),
  z.object({ rollingBack: z.string() }),
]);

/** What `rollback` did: stopped the running release, or started putting the known-good image back. */
export function rollbackMessage(target: string, body: unknown): string {
  const answer = readAnswer(rollbackAnswer, body, 'POST /api/targets/{target}/rollback');
  if ('rollingBack' in answer)
    return `No release of ${target} was running: release ${answer.rollingBack} puts the last known-good image back in production. Follow it with: shepherd status ${answer.rollingBack}\n`;
  return answer.aborted
    .map(
      (id) => `Stopping release ${id} of ${target}: it rolls back. Follow it with: shepherd status ${id}\n`,
    )
    .join('');
}

const freezeView = z.object({
  scope: z.object({ kind: z.string(), name: z.string() }),
  source: z.string(),
  reason: z.string(),
  until: z.string().optional(),
  releasesRunning: z.array(z.string()),
});

/** What `freeze` did: a new freeze (201) or a changed one (200). */
export function freezeMessage(environment: string, status: number, body: unknown): string {
  const { freeze } = readAnswer(
    z.object({ freeze: freezeView }),
    body,
    'PUT /api/environments/{environment}/freeze',
  );
  const until = freeze.until === undefined ? '' : ` until ${freeze.until}`;
  const running =
    freeze.releasesRunning.length === 0
      ? ''
      : ` Releases already running may finish: ${freeze.releasesRunning.join(', ')}.`;
  return `${status === 201 ? 'Froze' : 'Changed the freeze of'} the ${environment} environment${until}: ${freeze.reason}. Pushes are refused and recorded; rollbacks still run.${running}\n`;
}

/** What `unfreeze` did: the freezes lifted, and any the setting keeps. */
export function unfreezeMessage(environment: string, body: unknown): string {
  const { lifted, kept } = readAnswer(
    z.object({ lifted: z.array(freezeView), kept: z.array(z.string()).optional() }),
    body,
    'DELETE /api/environments/{environment}/freeze',
  );
  const lines = lifted.map((f) => `Lifted the ${f.source} freeze of ${scopeText(f.scope)} (${f.reason}).`);
  if (lifted.length === 0) lines.push(`No freeze of the ${environment} environment was lifted.`);
  for (const why of kept ?? []) lines.push(`Kept: ${why}.`);
  return `${lines.join('\n')}\n`;
}

/** What a freeze holds, as Shepherd says it: `the staging environment`, `target contoso-web`. */
function scopeText(scope: { kind: string; name: string }): string {
  return scope.kind === 'environment' ? `the ${scope.name} environment` : `target ${scope.name}`;
}
