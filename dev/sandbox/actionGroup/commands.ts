import type { z } from 'zod';
import { budgetAlertSchema } from './budgetAlert';
import type { BudgetAlert } from './budgetAlert';
import { metricAlertSchema } from './metricAlert';
import type { MetricAlert } from './metricAlert';

/** The command line's options as `parseArgs` gives them: strings, absent when not given. */
export type CommandOptions = Partial<Record<string, string | boolean | undefined>>;

/** A site of the sandbox's config, as far as the `alert` command needs it. */
export interface AlertableSite {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  slots: string[];
}

/**
 * `budget <budgetName> --threshold 100 [--kind …] [--spent …] [--amount …] [--forecast …]
 * [--currency …] [--locale …] [--shape …] [--threshold-as …] [--start YYYY-MM-DD] [--scope …]`
 * as the budget alert it sends. Throws, naming each bad part, when it is not one.
 */
export function budgetCommand(budgetName: string | undefined, options: CommandOptions): BudgetAlert {
  const text = (name: string): string | undefined => {
    const value = options[name];
    return typeof value === 'string' ? value : undefined;
  };
  const number = (name: string): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed))
      throw new Error(`--${name} takes a number, not '${value}'.`);
    return parsed;
  };
  if (budgetName === undefined) throw new Error('budget takes the budget’s name.');
  if (text('threshold') === undefined) throw new Error('budget takes --threshold, in percent of the budget.');
  const request = {
    budgetName,
    thresholdPercent: number('threshold'),
    kind: text('kind'),
    budgetAmount: number('amount'),
    spent: number('spent'),
    forecast: number('forecast'),
    currency: text('currency'),
    locale: text('locale'),
    startDate: text('start'),
    scope: text('scope'),
    shape: text('shape'),
    thresholdAs: text('threshold-as'),
  };
  return valid(budgetAlertSchema, withoutUndefined(request));
}

/**
 * `alert <site>[/slot] fired|resolved [--rule name]` as the metric alert it sends, on the site or
 * slot of the sandbox's config it names. Throws, naming the sites, when it names none.
 */
export function alertCommand(
  target: string | undefined,
  condition: string | undefined,
  options: CommandOptions,
  sites: AlertableSite[],
): MetricAlert {
  const [siteName, slot] = (target ?? '').split('/');
  const site = sites.find((s) => s.name === siteName);
  const names = sites.flatMap((s) => [s.name, ...s.slots.map((x) => `${s.name}/${x}`)]).join(', ');
  if (!site || (slot !== undefined && slot !== 'production' && !site.slots.includes(slot)))
    throw new Error(`alert takes a site or slot of the sandbox: ${names}`);
  if (condition !== 'fired' && condition !== 'resolved') throw new Error('alert takes fired or resolved.');
  const siteId = `/subscriptions/${site.subscriptionId}/resourceGroups/${site.resourceGroup}/providers/Microsoft.Web/sites/${site.name}`;
  const rule = options.rule;
  return valid(metricAlertSchema, {
    resourceIds: [slot === undefined || slot === 'production' ? siteId : `${siteId}/slots/${slot}`],
    condition: condition === 'fired' ? 'Fired' : 'Resolved',
    ...(typeof rule === 'string' ? { rule } : {}),
  });
}

function valid<T extends z.ZodType>(schema: T, value: unknown): z.input<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'),
    );
  // The request travels as given, for the sandbox to parse (and fill in defaults) once more.
  return value as z.input<T>;
}

function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
