import type { CleanupItem } from '../domain/cleanupPlan';
import type { Notice } from '../domain/notice';

/** The notice of drift found on a target: what differs from what Shepherd last set, and what it put right. */
export function driftNotice(target: string, found: CleanupItem[]): Notice {
  const fixed = found.filter((i) => i.action === 'fix');
  const reported = found.filter((i) => i.action === 'report');
  const line = (i: CleanupItem): string => `${i.what}: ${i.reasons.join('; ')}`;
  const parts = [
    ...(fixed.length > 0 ? [`Shepherd put right: ${fixed.map(line).join('; ')}`] : []),
    ...(reported.length > 0 ? [`needs a person: ${reported.map(line).join('; ')}`] : []),
  ];
  return {
    text: `${target} drifted from what Shepherd last set. ${parts.join('. ')}.`,
    urgent: reported.length > 0,
    title: `${target}: drift found`,
    facts: found.slice(0, 10).map((i) => ({
      name: i.action === 'fix' ? 'Put right' : 'Needs a person',
      value: line(i),
    })),
  };
}
