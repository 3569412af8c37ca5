import type { Config } from '../config';
import type { Notice } from '../domain/notice';
import { noticeMessage } from '../domain/noticeMessage';
import { noticeRecipients } from '../domain/noticeRecipients';
import type { NoticeAddressee, NoticeWebhook } from '../domain/noticeRecipients';

/**
 * The `notifyPeople` activity's input: a notice and whom it is for, by name. `{ target, notice }` is
 * a target's notice (also its environment's people are told); `{ environments, budget?, notice }` an
 * environment-wide one (budgets, freezes), `budget` naming a `budgets` entry as `budgetReference` does.
 */
export type NotifyPeopleInput = NoticeAddressee & { notice: Notice };

/** A slow or silent webhook must not hold the activity slot for long. */
const timeoutMs = 10_000;

/**
 * Posts a notice to every webhook of its recipients, each in its format (JSON, a Teams card, Slack
 * blocks). The URLs are read from the settings here, never passed in, because such URLs carry their
 * own secret and durable inputs are stored in history. Every webhook is tried; when any fail, one
 * error says how many and for whom, naming recipients and never a URL.
 */
export function notifyPeople(config: Config) {
  return async (input: NotifyPeopleInput): Promise<void> => {
    const webhooks = noticeRecipients(config, input);
    const results = await Promise.allSettled(webhooks.map((webhook) => post(webhook, input.notice)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [messageOf(r.reason)] : []));
    if (failures.length > 0)
      throw new Error(
        `${failures.length} of ${webhooks.length} notification webhooks failed: ${failures.join('; ')}`,
      );
  };
}

async function post(webhook: NoticeWebhook, notice: Notice): Promise<void> {
  const whose = `the ${webhook.format} webhook of ${webhook.recipients.join(', ')}`;
  const res = await fetch(webhook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(noticeMessage(notice, webhook.format)),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((err: unknown) => {
    // fetch's own message can quote the URL; say what failed without it.
    throw new Error(`${whose} could not be reached (${errorName(err)})`);
  });
  // The body is not needed; reading it lets the connection be reused or closed.
  await res.body?.cancel();
  if (!res.ok) throw new Error(`${whose} answered ${res.status} ${res.statusText}`);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errorName(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.name) : 'unknown error';
}
