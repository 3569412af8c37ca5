import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { readDashboardFiles } from '../../src/dashboardFiles';
import { dashboardContentSecurityPolicy } from '../../src/functions/serveDashboard';
import { rigRegistry, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call } from '../support/testHost';

/** A GET of `path` exactly as written: no URL parser folds its `..` or `%2e%2e` segments first. */
function rawGet(
  base: string,
  path: string,
): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(base), { path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard routes', () => {
  let rig: ReleaseRig;
  let assetPaths: string[];

  before(async () => {
    rig = await startReleaseRig({
      secondsPerMinute: 60,
      sites: [{ name: 'web', image: `${rigRegistry}/contoso/web:1.0.0` }],
      targets: [rigTarget('web')],
    });
  });

  after(() => rig.stop());

  it('answers 401 for the page without the function key, or with a wrong one', async () => {
    assert.equal((await call(rig.url, '/api/dashboard')).status, 401);
    assert.equal((await call(rig.url, '/api/dashboard', { key: 'not-the-key', keyIn: 'query' })).status, 401);
  });

  it('serves the page with the key in the query, under a strict CSP, never cached, and without the key in it', async () => {
    const res = await call(rig.url, '/api/dashboard', { key: rig.functionKey, keyIn: 'query' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.equal(csp, dashboardContentSecurityPolicy);
    assert.match(csp, /(^|; )script-src 'self'(;|$)/);
    assert.match(csp, /(^|; )default-src 'none'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|data:/);
    assert.ok(!res.text.includes(rig.functionKey));
    assert.doesNotMatch(res.text, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');
    assetPaths = [...res.text.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.deepEqual(
      assetPaths.filter((p) => !p.startsWith('/api/dashboard/assets/')),
      [],
      'the page loads only its own assets, from no other origin',
    );
    assert.ok(assetPaths.length >= 4);
    assert.equal((await call(rig.url, '/api/dashboard', { key: rig.functionKey })).status, 200);
  });

  it('serves every asset the page names without a key, with its content type, the same CSP and a validator', async () => {
    const types: Record<string, string> = {
      js: 'text/javascript; charset=utf-8',
      css: 'text/css; charset=utf-8',
      svg: 'image/svg+xml',
    };
    for (const path of assetPaths) {
      const res = await call(rig.url, path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), types[path.split('.').pop() ?? ''], path);
      assert.equal(res.headers.get('cache-control'), 'no-cache', path);
      assert.equal(res.headers.get('content-security-policy'), dashboardContentSecurityPolicy, path);
      const etag = res.headers.get('etag') ?? '';
      assert.match(etag, /^"[\w-]+"$/);
      const again = await call(rig.url, path, { headers: { 'if-none-match': etag } });
      assert.deepEqual([again.status, again.text], [304, ''], path);
    }
    const chart = await call(rig.url, '/api/dashboard/assets/chart.umd.min.js');
    assert.match(chart.text, /^\/\*!\n \* Chart\.js v4\./, 'Chart.js from npm, with its licence banner');
    assert.doesNotMatch(chart.text, /sourceMappingURL/, 'no reference to a map that is not served');
    const api = await call(rig.url, '/api/dashboard/assets/api.js');
    assert.match(api.text, /'x-functions-key': key/, 'the script sends the key in a header');
    // The page's own scripts, all of them (main.js imports the rest): none stores the key or writes HTML.
    const scripts = [...readDashboardFiles().assets.keys()].filter(
      (n) => n.endsWith('.js') && n !== 'chart.umd.min.js',
    );
    assert.ok(scripts.includes('main.js') && scripts.includes('api.js'));
    for (const name of scripts) {
      const script = await call(rig.url, `/api/dashboard/assets/${name}`);
      assert.equal(script.status, 200, name);
      assert.doesNotMatch(script.text, /localStorage|sessionStorage|cookie|innerHTML/, name);
    }
  });

  it('answers 404 problem+json for an asset the build did not make, the page included', async () => {
    for (const path of [
      '/api/dashboard/assets/nope.js',
      '/api/dashboard/assets/index.html',
      '/api/dashboard/assets/',
    ]) {
      const res = await call(rig.url, path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers.get('content-type'), 'application/problem+json', path);
    }
  });

  it('refuses paths that climb out of the assets, however they are written', async () => {
    for (const path of [
      '/api/dashboard/assets/../../../package.json',
      '/api/dashboard/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/api/dashboard/assets/..%2F..%2F..%2Fpackage.json',
      '/api/dashboard/assets/..%5C..%5Cindex.js',
      '/api/dashboard/assets/%2Fetc%2Fpasswd',
      '/api/dashboard/assets/assets/main.js',
    ]) {
      const res = await rawGet(rig.url, path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body, /"name": "shepherd"|root:x:0/, path);
    }
  });
});
