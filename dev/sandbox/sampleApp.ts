import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { ImageFaults } from './imageFaults';
import { openDatabase } from './sampleDatabase';

/**
 * The web app every sandbox slot runs: one process per slot, started with the image it is configured
 * with and the slot's app settings as its environment. `GET /` answers with the image and slot;
 * `GET /health` is the health check; `GET /settings/{name}` tells which value of an app setting the
 * process holds, as a SHA-256 (never the value), and which process it is (`pid`). Faults of the image (errors, latency, failing
 * health, slow start, crash) apply to `/` and `/health`.
 *
 * With a `DATABASE_URL` setting (`postgres://user:password@host:port/db`) it connects before it
 * listens and touches the database on every request to `/` and `/health`: when the database cannot
 * be reached (a wrong password, say) `/` answers 500 and `/health` 503. A touch runs `SELECT 1`, or
 * the query in a `DATABASE_QUERY` setting (the app's own query of its tables).
 *
 * Started as `node sampleApp.js` with PORT, SLOT, IMAGE and FAULTS (JSON) in its environment.
 */
function main(): void {
  const port = Number(process.env.PORT);
  const slot = process.env.SLOT ?? 'production';
  const image = process.env.IMAGE ?? '';
  const faults = JSON.parse(process.env.FAULTS ?? '{}') as ImageFaults;
  const version = versionOf(image);
  const databaseUrl = process.env.DATABASE_URL;
  const database = databaseUrl
    ? openDatabase(databaseUrl, `sandbox-${slot}`, process.env.DATABASE_QUERY ?? 'SELECT 1')
    : undefined;
  let served = 0;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/settings/')) {
      answerSetting(res, decodeURIComponent(path.slice('/settings/'.length)));
      return;
    }
    served += 1;
    if (faults.crashAfterRequests > 0 && served > faults.crashAfterRequests) process.exit(70);
    const respond = async (): Promise<void> => {
      const databaseUp = database ? await database.touch() : true;
      if (path === '/health') {
        const healthy = !faults.unhealthy && databaseUp;
        send(res, healthy ? 200 : 503, {
          status: healthy ? 'healthy' : 'unhealthy',
          image,
          ...(database ? { database: databaseUp ? 'reachable' : 'unreachable' } : {}),
        });
        return;
      }
      if (!databaseUp) {
        send(res, 500, { error: 'database unreachable', image });
        return;
      }
      const failed = Math.random() < faults.errorRate;
      send(res, failed ? 500 : 200, failed ? { error: 'injected fault', image } : { image, version, slot });
    };
    setTimeout(() => void respond(), faults.latencyMs);
  });
  const listen = (): void => {
    setTimeout(() => server.listen(port, '127.0.0.1'), faults.startDelayMs);
  };
  if (database) void database.touch().then(listen);
  else listen();
  process.on('SIGTERM', () =>
    server.close(() => void (database?.close() ?? Promise.resolve()).then(() => process.exit(0))),
  );
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const image = process.env.IMAGE ?? '';
  res.writeHead(status, { 'content-type': 'application/json', 'x-sandbox-image': image });
  res.end(JSON.stringify(body));
}

/** Which value of the setting the process holds, as its SHA-256, so that tests can tell without seeing it. */
function answerSetting(res: ServerResponse, name: string): void {
  const value = process.env[name];
  if (value === undefined) {
    send(res, 404, { name, set: false, pid: process.pid });
    return;
  }
  send(res, 200, {
    name,
    set: true,
    sha256: createHash('sha256').update(value).digest('hex'),
    pid: process.pid,
  });
}

/** The tag of `registry/repo:tag`, also when pinned as `registry/repo:tag@sha256:…`. */
function versionOf(image: string): string {
  const [name = '', digest = ''] = image.split('@');
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : digest;
}

main();
