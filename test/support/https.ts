import { Agent, request } from 'node:https';

export interface HttpsResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * An HTTPS GET that keeps connections alive, trusting what the process trusts (the sandbox CA under
 * `npm test`).
 */
export function httpsGetter(): {
  get: (url: string, headers?: Record<string, string>) => Promise<HttpsResult>;
  close: () => void;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const get = (url: string, headers: Record<string, string> = {}): Promise<HttpsResult> =>
    new Promise((resolve, reject) => {
      const req = request(url, { agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.once('error', reject);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}

/** Runs `task` for each index with at most `concurrency` at once. */
export async function inParallel<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
