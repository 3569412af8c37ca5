/** How often, and how far apart, a failed step is tried again. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  maxAttempts: number;
  /** The wait before the second try; each later wait doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Each wait is moved by up to this share either way, so retries of many releases do not arrive together. */
  jitter: number;
}

/** Why one try of a step failed: Azure's HTTP status when it answered, and what it said. */
export interface StepFailure {
  status?: number | undefined;
  reason: string;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: string };

/**
 * Whether trying again can help. No answer (a timeout, a reset connection) or a 5xx may pass; of
 * the 4xx only 408 (timeout), 409 (another operation still running) and 429 (throttled) are
 * transient. Any other 4xx means the request itself is wrong, and repeating it changes nothing.
 */
export function isRetryable(status: number | undefined): boolean {
  if (status === undefined) return true;
  if (status === 408 || status === 409 || status === 429) return true;
  return status < 400 || status >= 500;
}

/**
 * What to do after try number `attempt` (1-based) failed: wait and try again, exponentially later
 * with jitter, or give up. `unit` is a number in [0, 1) that places the jitter; an orchestrator
 * takes it from a deterministic source so that every replay decides alike.
 */
export function nextRetry(
  policy: RetryPolicy,
  attempt: number,
  failure: StepFailure,
  unit: number,
): RetryDecision {
  if (!isRetryable(failure.status))
    return { retry: false, why: `Azure answered ${failure.status ?? ''}, which trying again cannot change` };
  if (attempt >= policy.maxAttempts) return { retry: false, why: `it failed ${attempt} times` };
  const base = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1));
  const spread = base * policy.jitter * (2 * unit - 1);
  return { retry: true, delayMs: Math.round(Math.max(0, base + spread)) };
}
