import type { ApiProblem } from './shepherdApi';

/**
 * A refusal as a person reads it: Shepherd's title and status, its detail, and each field it named
 * as wrong, one a line.
 */
export function problemText(problem: ApiProblem): string {
  const lines = [
    `shepherd: ${problem.title} (${problem.status})${problem.detail === undefined ? '' : `: ${problem.detail}`}`,
  ];
  for (const item of problem.errors)
    lines.push(`  ${item.path === '' ? '(body)' : item.path}: ${item.message}`);
  return `${lines.join('\n')}\n`;
}
