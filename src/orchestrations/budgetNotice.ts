import { releaseAfterFreezeAction } from '../domain/freeze';
import type { Notice } from '../domain/notice';
import type { BudgetFigures, BudgetResponseInput } from './budgetModel';

/** `amount` as people read it: with its currency when the alert named one. */
export function formatAmount(amount: number, currency: string | undefined): string {
  if (currency !== undefined && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
    } catch {
      // Not a currency Intl knows: the plain number below, with the code.
    }
  }
  const plain = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    amount,
  );
  return currency === undefined ? plain : `${plain} ${currency}`;
}

function spending(figures: BudgetFigures): string {
  const money = (n: number): string => formatAmount(n, figures.currency);
  const forecast =
    figures.forecast === undefined ? '' : `; forecast for the period ${money(figures.forecast)}`;
  return `${figures.kind === 'forecasted' ? 'forecast spending' : 'spending'} reached ${figures.thresholdPercent}% of ${money(figures.budgetAmount)} (spent ${money(figures.spent)}${forecast})`;
}

/** What a budget notice carries for scripts beside its text. */
export interface BudgetNotice extends Notice {
  budget: BudgetFigures & { environments: string[]; frozen: string[]; stopped: string[]; until: string };
}

/** The notice for a budget threshold crossed: the figures, and what Shepherd did about it. */
export function budgetCrossedNotice(
  input: BudgetResponseInput,
  done: { frozen: string[]; stopped: string[]; problems: string[] },
): BudgetNotice {
  const { figures, period } = input;
  const did: string[] = [];
  if (done.frozen.length > 0)
    did.push(
      `releases to ${done.frozen.join(', ')} are frozen until the budget resets at ${period.end} (rollbacks still run; a push refused meanwhile can be released after with POST /api/targets/{target}/releases)`,
    );
  if (done.stopped.length > 0)
    did.push(
      `stopped the non-production apps ${done.stopped.join(', ')}, started again when the budget resets`,
    );
  if (done.problems.length > 0) did.push(`could NOT do everything: ${done.problems.join('; ')}`);
  const action = did.length === 0 ? 'Shepherd only tells you.' : `Shepherd ${did.join('; ')}.`;
  const urgent = done.frozen.length > 0 || done.stopped.length > 0 || done.problems.length > 0;
  const money = (n: number): string => formatAmount(n, figures.currency);
  return {
    text: `Budget ${figures.budgetName} (${input.environments.join(', ')}): ${spending(figures)}. ${action}`,
    urgent,
    title: `Budget ${figures.budgetName}: ${figures.thresholdPercent}% ${figures.kind} reached`,
    facts: [
      { name: 'Environments', value: input.environments.join(', ') },
      { name: 'Budget', value: money(figures.budgetAmount) },
      { name: 'Spent', value: money(figures.spent) },
      ...(figures.forecast === undefined ? [] : [{ name: 'Forecast', value: money(figures.forecast) }]),
      {
        name: 'Frozen',
        value: done.frozen.length > 0 ? `${done.frozen.join(', ')} until ${period.end}` : 'nothing',
      },
      ...(done.stopped.length > 0 ? [{ name: 'Stopped', value: done.stopped.join(', ') }] : []),
      ...(done.problems.length > 0 ? [{ name: 'Could not', value: done.problems.join('; ') }] : []),
    ],
    ...(done.frozen.length > 0 ? { actions: [releaseAfterFreezeAction()] } : {}),
    budget: { ...figures, environments: input.environments, ...done, until: period.end },
  };
}

/** The notice for a budget freeze lifted: at the budget's reset, or early by a person. */
export function budgetLiftedNotice(
  input: BudgetResponseInput,
  done: { frozen: string[]; started: string[]; problems: string[]; why: string },
): BudgetNotice {
  const parts = [
    ...(done.frozen.length > 0 ? [`releases to ${done.frozen.join(', ')} are no longer frozen`] : []),
    ...(done.started.length > 0 ? [`started ${done.started.join(', ')} again`] : []),
    ...(done.problems.length > 0 ? [`could NOT do everything: ${done.problems.join('; ')}`] : []),
  ];
  return {
    text: `Budget ${input.figures.budgetName}: ${done.why}; ${parts.join('; ')}.`,
    urgent: done.problems.length > 0,
    title: `Budget ${input.figures.budgetName}: freeze lifted`,
    facts: [
      { name: 'Why', value: done.why },
      ...(done.frozen.length > 0 ? [{ name: 'No longer frozen', value: done.frozen.join(', ') }] : []),
      ...(done.started.length > 0 ? [{ name: 'Started again', value: done.started.join(', ') }] : []),
      ...(done.problems.length > 0 ? [{ name: 'Could not', value: done.problems.join('; ') }] : []),
    ],
    budget: {
      ...input.figures,
      environments: input.environments,
      frozen: done.frozen,
      stopped: done.started,
      until: input.period.end,
    },
  };
}
