import type { Config } from '../config';
export const notifyPeopleActivity = 'notifyPeople';

/**
 * What people are told: a line a chat channel shows (`text`, as Slack and Teams incoming webhooks
 * read it), whether it needs someone now, and whatever else describes the work for scripts.
 */
export interface Notice {
  text: string;
  urgent: boolean;
}

/** A slow or silent webhook must not hold the release's activity slot for long. */
const timeoutMs = 10_000;

/**
 * Posts a notice to the target's notification webhook, as JSON with a `text` field (what Slack and
 * Teams incoming webhooks show). The URL is read from the settings here, not passed in, because such
 * URLs carry their own secret and durable inputs are stored in history.
 */
export function notifyPeople(config: Config) {
  return async (input: { target: string; notice: Notice }): Promise<void> => {
    const url = config.targets.find((t) => t.name === input.target)?.notifications.webhookUrl;
    if (url === undefined) return;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input.notice),
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((err: unknown) => {
      // fetch's own message can quote the URL; say what failed without it.
      throw new Error(`the notification webhook of ${input.target} could not be reached (${errorName(err)})`);
    });
    if (!res.ok)
      throw new Error(`the notification webhook of ${input.target} answered ${res.status} ${res.statusText}`);
  };
}

function errorName(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.name) : 'unknown error';
}
