import { request } from 'node:http';

/** One GET of `path` on the app at `port`: its status, or undefined when nothing answered. */
export function ping(port: number | undefined, path: string): Promise<number | undefined> {
  if (port === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 2000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Pings `path` every 200 ms until a status in `statuses` comes back (any status when empty), `give
 * up` says so, or `timeoutMs` (real time) passes. Resolves with the last status seen.
 */
export async function pingUntil(
  port: () => number | undefined,
  path: string,
  options: { statuses?: readonly number[]; timeoutMs: number; giveUp?: () => boolean },
): Promise<{ ok: boolean; status: number | undefined }> {
  const statuses = options.statuses ?? [];
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const status = await ping(port(), path);
    if (status !== undefined && (statuses.length === 0 || statuses.includes(status)))
      return { ok: true, status };
    if (Date.now() > deadline || options.giveUp?.()) return { ok: false, status };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
