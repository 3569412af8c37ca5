import { request } from 'node:http';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsStore } from './metrics';
import { chooseRoute } from './routing';
import type { RampUpRule } from './routing';

/** What a front end needs to know of its site: the routing rules and where each slot's app listens. */
export interface RoutedSite {
  rules(): RampUpRule[];
  /**
   * `self` is production. Undefined when there is no such slot; `stopped` when the slot was stopped
   * through ARM, `port` undefined when its app is not running for any reason.
   */
  backend(target: string): { port: number | undefined; stopped: boolean; resourceId: string } | undefined;
}

export interface FrontEnd {
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTPS front end for a site, as App Service's: it picks production or a slot for each request
 * (or always `fixedTarget`, for a slot's own host name), forwards it to that slot's app, and records
 * the outcome in that slot's metrics. A stopped slot answers 403 with App Service's "web app is
 * stopped" page; a running slot whose app is down answers 503. Both count in the metrics too.
 */
export async function startFrontEnd(
  site: RoutedSite,
  metrics: MetricsStore,
  tls: { cert: string; key: string },
  fixedTarget?: string,
): Promise<FrontEnd> {
  const server = createServer(tls, (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const choice = fixedTarget
      ? { target: fixedTarget }
      : chooseRoute(site.rules(), url.searchParams, req.headers.cookie, Math.random());
    const backend = site.backend(choice.target) ?? site.backend('self');
    const done = (status: number): void => {
      if (backend) metrics.record(backend.resourceId, status, performance.now() - started);
    };
    if ('setCookie' in choice && choice.setCookie) res.setHeader('set-cookie', choice.setCookie);
    if (backend?.stopped) {
      stoppedPage(res);
      done(403);
      return;
    }
    if (backend?.port === undefined) {
      unavailable(res);
      done(503);
      return;
    }
    forward(req, res, backend.port, done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://localhost:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  done: (status: number) => void,
): void {
  const upstream = request(
    {
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'x-forwarded-proto': 'https' },
      // A fresh connection each time: reusing one the app has just closed fails with a reset, which
      // would turn into a 503 the app never answered.
      agent: false,
    },
    (answer) => {
      const status = answer.statusCode ?? 502;
      res.writeHead(status, answer.headers);
      answer.pipe(res);
      answer.once('end', () => done(status));
    },
  );
  upstream.once('error', () => {
    if (!res.headersSent) unavailable(res);
    else res.destroy();
    done(503);
  });
  req.pipe(upstream);
}

function unavailable(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'text/html' });
  res.end('<h1>Service Unavailable</h1>');
}

/**
 * What App Service answers on the host name of a stopped app or slot: 403 with its "Error 403 - This
 * web app is stopped." page (Microsoft's support article "Error 403 - This web app is stopped", and
 * the App Service team's blog post of the same name). The page's wording here is the sandbox's own.
 */
function stoppedPage(res: ServerResponse): void {
  res.writeHead(403, { 'content-type': 'text/html' });
  res.end(
    '<!DOCTYPE html><html><head><title>Microsoft Azure Web App - Error 403</title></head><body>' +
      '<h1>Error 403 - This web app is stopped.</h1>' +
      '<p>The web app is stopped and takes no requests until it is started again.</p></body></html>',
  );
}
