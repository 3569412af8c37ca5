import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DashboardFile, DashboardFiles } from '../dashboardFiles';
import { problemResponse } from './problem';

/**
 * Only the app's own files: no inline script or style, no other origin, no framing. The page talks
 * to Shepherd's API on the same origin and to nothing else.
 */
export const dashboardContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'content-security-policy': dashboardContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  // The page is opened with the function key in its URL: no request it makes may carry that URL on.
  'referrer-policy': 'no-referrer',
};

function served(file: DashboardFile, cacheControl: string, req: HttpRequest): HttpResponseInit {
  const headers = { ...securityHeaders, 'cache-control': cacheControl, etag: file.etag };
  if (req.headers.get('if-none-match') === file.etag) return { status: 304, headers };
  return { status: 200, headers: { ...headers, 'content-type': file.contentType }, body: file.body };
}

/** Reads the built files, or answers why the dashboard cannot be served. */
function filesOr503(load: () => DashboardFiles): DashboardFiles | HttpResponseInit {
  try {
    return load();
  } catch {
    return problemResponse(
      503,
      'Service Unavailable',
      'The dashboard is not in this build of Shepherd: build it with `npm run build`.',
    );
  }
}

/**
 * `GET /api/dashboard?code=<function key>`: the dashboard page. Behind the function key like every
 * read; never stored by a cache (the URL carries the key), and it renders nothing of the request.
 */
export function dashboardPage(load: () => DashboardFiles): HttpHandler {
  return (req): Promise<HttpResponseInit> => {
    const files = filesOr503(load);
    return Promise.resolve('page' in files ? served(files.page, 'no-store', req) : files);
  };
}

/**
 * `GET /api/dashboard/assets/{name}`: the page's script, styles and chart library, built with the app.
 * Anonymous, as a browser loads them without the key; they hold no data, only the app's own code.
 * Only names the build produced are served: anything else, `..` included, is a 404.
 */
export function dashboardAsset(load: () => DashboardFiles): HttpHandler {
  return (req): Promise<HttpResponseInit> => {
    const files = filesOr503(load);
    if (!('assets' in files)) return Promise.resolve(files);
    const name = req.params.asset ?? '';
    const file = files.assets.get(name);
    return Promise.resolve(
      file === undefined
        ? problemResponse(404, 'Not Found', 'The dashboard has no such file.')
        : served(file, 'no-cache', req),
    );
  };
}
