import { shortImage } from './imageText';
import { hasEnded } from './releaseView';
import type { ReleaseView } from './releaseView';

/** Each phase of a release in words, as a person follows it. */
const phaseWords: Record<string, string> = {
  starting: 'starting',
  queued: 'queued behind earlier releases',
  backingUp: 'backing up the database',
  deploying: 'deploying to the slot',
  warmingUp: 'warming up',
  smokeTesting: 'smoke testing',
  awaitingApproval: 'awaiting approval',
  canary: 'canary',
  promoting: 'promoting',
  baking: 'baking in production',
  rollingBack: 'rolling back',
  done: 'done',
};

/**
 * One line saying where a release stands: its image, phase, traffic share on the slot, the latest
 * judged window's numbers, and, once it has ended, its outcome and why. The same state gives the
 * same line, so a follower prints only changes.
 */
export function progressLine(view: ReleaseView): string {
  const head = [view.target, view.image ? shortImage(view.image) : undefined].filter(Boolean).join(' ');
  const parts = [head || view.id];
  if (hasEnded(view)) {
    const outcome = view.outcome ?? `${view.runtimeStatus.toLowerCase()} without an outcome`;
    parts.push(`${view.urgent ? 'URGENT ' : ''}${outcome}${view.reason ? `: ${view.reason}` : ''}`);
    return parts.join(' · ');
  }
  const phase = view.phase ?? 'pending';
  parts.push(phaseWords[phase] ?? phase);
  if ((view.trafficPercent ?? 0) > 0 || phase === 'canary')
    parts.push(`slot traffic ${view.trafficPercent ?? 0}%`);
  const latest = view.windows?.at(-1);
  if (latest !== undefined) parts.push(windowText(latest, view.windowCount ?? view.windows?.length ?? 0));
  if (phase === 'warmingUp' && view.warmUp) parts.push(view.warmUp.detail);
  if (phase === 'queued' && view.waitingFor?.length) parts.push(`waiting for ${view.waitingFor.join(', ')}`);
  if (phase === 'awaitingApproval') parts.push(`shepherd approve|reject ${view.id} --reason …`);
  return parts.join(' · ');
}

function windowText(window: NonNullable<ReleaseView['windows']>[number], count: number): string {
  const { requests, errorRate, averageResponseMs } = window.slot;
  const numbers = [
    `${requests} requests`,
    ...(errorRate == null ? [] : [`5xx ${(errorRate * 100).toFixed(2)}%`]),
    ...(averageResponseMs == null ? [] : [`${Math.round(averageResponseMs)} ms`]),
  ];
  return `window ${count} at ${window.trafficPercent}%: ${window.verdict} (${numbers.join(', ')})`;
}

/**
 * A line cut to the terminal's width, so redrawing it in place never wraps onto a second line that
 * a carriage return cannot reach.
 */
export function fitToWidth(line: string, columns: number | undefined): string {
  if (columns === undefined || columns < 2) return line;
  const characters = Array.from(new Intl.Segmenter().segment(line), (s) => s.segment);
  return characters.length < columns ? line : `${characters.slice(0, columns - 2).join('')}…`;
}
