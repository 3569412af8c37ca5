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
