import type { NoticeFormat, NotificationSettings } from '../config';

/**
 * Who a notice is for: the people of one target (and of its environment), or of whole environments
 * (every target in them too) and, optionally, of the budget that acted on them.
 */
export type NoticeAddressee = { target: string } | { environments: string[]; budget?: string };

/** A webhook a notice goes to, and whom it stands for: names to report failures by, never the URL. */
export interface NoticeWebhook {
  url: string;
  format: NoticeFormat;
  recipients: string[];
}

/** The parts of the targets file that say where notices go. */
export interface NotificationBook {
  targets: readonly { name: string; environment: string; notifications: NotificationSettings }[];
  environments: readonly { name: string; notifications: NotificationSettings }[];
  budgets: readonly { name?: string | undefined; notifications: NotificationSettings }[];
}

/**
 * How a notice names an entry of the targets file's `budgets`: its `name`, or `budgets[i]` (its
 * position from 0) for one that has only a scope.
 */
export function budgetReference(budget: { name?: string | undefined }, index: number): string {
  return budget.name ?? `budgets[${index}]`;
}

/**
 * The webhooks a notice goes to, each URL once. A target's notice goes to the target's webhooks and
 * its environment's; an environment notice to each environment's, each of their targets', and the
 * budget's (matched by `budgetReference`, names without case). A URL listed twice keeps the format it
 * was first listed with; `webhookUrl` is a `json` webhook.
 */
export function noticeRecipients(book: NotificationBook, to: NoticeAddressee): NoticeWebhook[] {
  const found = new Map<string, NoticeWebhook>();
  const add = (recipient: string, settings: NotificationSettings): void => {
    const listed = [
      ...(settings.webhookUrl === undefined ? [] : [{ url: settings.webhookUrl, format: 'json' as const }]),
      ...settings.webhooks,
    ];
    for (const { url, format } of listed) {
      const known = found.get(url);
      if (known === undefined) found.set(url, { url, format, recipients: [recipient] });
      else if (!known.recipients.includes(recipient)) known.recipients.push(recipient);
    }
  };
  const addEnvironment = (name: string): void => {
    const entry = book.environments.find((e) => e.name === name);
    if (entry) add(`environment ${name}`, entry.notifications);
  };
  if ('target' in to) {
    const target = book.targets.find((t) => t.name === to.target);
    if (target === undefined) return [];
    add(`target ${target.name}`, target.notifications);
    addEnvironment(target.environment);
    return [...found.values()];
  }
  for (const environment of to.environments) {
    addEnvironment(environment);
    for (const target of book.targets.filter((t) => t.environment === environment))
      add(`target ${target.name}`, target.notifications);
  }
  if (to.budget !== undefined) {
    const wanted = to.budget.toLowerCase();
    const index = book.budgets.findIndex((b, i) => budgetReference(b, i).toLowerCase() === wanted);
    const budget = book.budgets[index];
    if (budget) add(`budget ${budgetReference(budget, index)}`, budget.notifications);
  }
  return [...found.values()];
}
