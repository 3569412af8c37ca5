import { Agent, request } from 'node:https';

export interface LoadOptions {
  url: string;
  /** Requests per second to aim for. */
  rate: number;
  /** Stop after this many milliseconds. */
  durationMs: number;
  /** Stop early when this signal aborts (Ctrl-C). */
  signal?: AbortSignal;
  onResult?: (status: number) => void;
}

export interface LoadSummary {
  sent: number;
  byStatus: Record<string, number>;
}

/**
 * Keeps steady traffic on a site so there is something to measure: `rate` requests a second, each
 * a fresh client (no routing cookie), so the site's routing rules split them as they split new users.
 * Bounded by `durationMs`; it never runs on after that.
 */
export async function generateLoad(options: LoadOptions): Promise<LoadSummary> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const summary: LoadSummary = { sent: 0, byStatus: {} };
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  const count = (status: string): void => {
    summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
  };
  try {
    while (Date.now() - started < options.durationMs && !options.signal?.aborted) {
      const due = Math.floor(((Date.now() - started) / 1000) * options.rate) + 1;
      while (summary.sent < due) {
        summary.sent += 1;
        const one = send(agent, options.url).then((status) => {
          count(String(status));
          options.onResult?.(status);
        });
        inFlight.add(one);
        void one.finally(() => inFlight.delete(one));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, 1000 / options.rate)));
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  return summary;
}

function send(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    // A refused or timed-out request is traffic that failed; it counts as status 0.
    req.once('error', () => resolve(0));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}
