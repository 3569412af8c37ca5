import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { SitePower } from '../../src/azure/sitePower';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ensureCertificates } from '../../dev/sandbox/certificates';
import { sandboxCertificateDir } from '../../dev/sandbox/ensureCa';
import { checkSlotHealth } from '../../src/activities/checkSlotHealth';
import { runSmokeChecks } from '../../src/activities/runSmokeChecks';
import type { WindowMetrics } from '../../src/azure/metrics';
import type { ResourceTags } from '../../src/azure/resourceTags';
import type { SlotDeployment } from '../../src/azure/slotDeployment';
import type { TrafficRouter } from '../../src/azure/trafficRouter';
import type { ReleaseServices } from '../../src/services';
import type { SlotSwap } from '../../src/azure/slotSwap';

const image = 'contoso.azurecr.io/web:2.0.0@sha256:0a1b';
const site = { subscriptionId: '00000000-0000-0000-0000-0000000000c1', resourceGroup: 'rg', name: 'web' };
const loginPath = '/.auth/login/aad';
const entraLogin = 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=c1&nonce=n0nce';

type AnyService = SlotDeployment & TrafficRouter & SlotSwap & WindowMetrics & ResourceTags & SitePower;

/** A stand-in service that does what `uses` says; any other method rejects, failing the check. */
function service(what: string, uses: Partial<AnyService> = {}): AnyService {
  return new Proxy(uses as AnyService, {
    get: (target, name) =>
      (Reflect.get(target, name) as unknown) ??
      (() => Promise.reject(new Error(`the slot checks used ${what}.${String(name)}`))),
  });
}

describe('warm-up and smoke checks against a slot behind a login page', () => {
  const certs = ensureCertificates(sandboxCertificateDir);
  /** Paths the slot was asked for, in order. */
  const asked: string[] = [];
  // A slot as App Service authentication makes it: the app's paths send callers to sign in.
  const slot = createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    asked.push(path);
    if (path === '/ready') res.writeHead(200).end('ok');
    else if (path === loginPath)
      res.writeHead(200, { 'content-type': 'text/html' }).end('<form>sign in</form>');
    else if (path === '/sso') res.writeHead(302, { location: entraLogin }).end();
    else res.writeHead(302, { location: `${loginPath}?post_login_redirect_uri=${path}&state=st4te` }).end();
  });
  let services: ReleaseServices;

  before(async () => {
    await new Promise<void>((resolve) => slot.listen(0, '127.0.0.1', resolve));
    const host = `localhost:${(slot.address() as AddressInfo).port}`;
    services = {
      slots: service('slots', {
        getImage: () => Promise.resolve(image),
        hostName: () => Promise.resolve(host),
      }),
      router: service('router'),
      swaps: service('swaps'),
      metrics: service('metrics'),
      tags: service('tags'),
      power: service('power'),
    };
  });
  after(() => new Promise<void>((resolve) => slot.close(() => resolve())));

  const health = (healthPath: string) =>
    checkSlotHealth(services)({ site, slot: 'staging', image, healthPath });
  const smoke = (checks: { path: string; expectStatus: number }[]) =>
    runSmokeChecks(services)({ site, slot: 'staging', checks });

  it('finds a health path that redirects to a login page not healthy, naming where without the query', async () => {
    asked.length = 0;
    assert.deepEqual(await health('/health'), {
      healthy: false,
      detail: `/health answered 302 redirecting to ${loginPath}`,
    });
    assert.deepEqual(asked, ['/health'], 'the redirect was not followed to the login page');
  });

  it('names the origin of a redirect to another site, still without its query', async () => {
    assert.deepEqual(await health('/sso'), {
      healthy: false,
      detail:
        '/sso answered 302 redirecting to https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    });
  });

  it('finds a health path that answers 200 itself healthy', async () => {
    assert.deepEqual(await health('/ready'), { healthy: true, detail: '/ready answered 200' });
  });

  it('fails a smoke check expecting 200 that gets a redirect, without following it', async () => {
    asked.length = 0;
    assert.deepEqual(await smoke([{ path: '/', expectStatus: 200 }]), {
      failures: [`/ answered 302 redirecting to ${loginPath}, expected 200`],
    });
    assert.deepEqual(asked, ['/']);
  });

  it('passes a smoke check that expects the redirect', async () => {
    assert.deepEqual(
      await smoke([
        { path: '/account', expectStatus: 302 },
        { path: '/ready', expectStatus: 200 },
      ]),
      { failures: [] },
    );
  });
});
