const minuteMs = 60_000;

/**
 * The analysis window that follows a traffic change at `now`: it starts at the next whole minute,
 * because Azure Monitor counts requests in one-minute buckets and a bucket that began before the
 * change would mix the old traffic share into the judgement.
 */
export function nextAnalysisWindow(now: number, intervalMinutes: number): { start: number; end: number } {
  const start = Math.ceil(now / minuteMs) * minuteMs;
  return { start, end: start + intervalMinutes * minuteMs };
}

/**
 * The whole minutes, `minutes` of them (at least one), that production served before a swap asked
 * for at `swapStartedAt`, ending `settleSeconds` before it: read once the swap has started, they
 * are as settled as any window Shepherd judges. They are what a release without canary windows
 * (blue-green) compares its bake with.
 */
export function windowBeforeSwap(
  swapStartedAt: number,
  minutes: number,
  settleSeconds: number,
): { start: number; end: number } {
  const end = Math.floor((swapStartedAt - settleSeconds * 1000) / minuteMs) * minuteMs;
  return { start: end - Math.max(1, Math.ceil(minutes)) * minuteMs, end };
}
