import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VirtualClock } from '../../dev/host/clock';
import { ensureCertificates } from '../../dev/sandbox/certificates';
import { sandboxCertificateDir } from '../../dev/sandbox/ensureCa';
import { startFrontEnd } from '../../dev/sandbox/frontEnd';
import type { FrontEnd } from '../../dev/sandbox/frontEnd';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { generateLoad } from '../../dev/sandbox/loadGenerator';
import { MetricsStore } from '../../dev/sandbox/metrics';
import { SlotProcess } from '../../dev/sandbox/slotProcess';
import { httpsGetter, inParallel } from '../support/https';
import { waitFor } from '../support/testHost';

const siteId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/web';
const slotId = `${siteId}/slots/staging`;

describe('sandbox front end and slot apps', () => {
  const certs = ensureCertificates(sandboxCertificateDir);
  const clock = new VirtualClock(Date.parse('2026-04-01T10:00:00Z'));
  const metrics = new MetricsStore(clock);
  const production = new SlotProcess('production');
  const staging = new SlotProcess('staging');
  const rules = [{ name: 'staging', reroutePercentage: 10 }];
  const site = {
    rules: () => rules,
    backend: (target: string) =>
      target === 'self'
        ? { port: production.port, stopped: false, resourceId: siteId }
        : target === 'staging'
          ? { port: staging.port, stopped: false, resourceId: slotId }
          : undefined,
  };
  const client = httpsGetter();
  let frontEnd: FrontEnd;
  let stagingDirect: FrontEnd;

  before(async () => {
    await production.run('sandboxregistry.azurecr.io/web:1.0.0', imageFaultsSchema.parse({}));
    await staging.run('sandboxregistry.azurecr.io/web:2.0.0', imageFaultsSchema.parse({}));
    frontEnd = await startFrontEnd(site, metrics, { cert: certs.certPem, key: certs.keyPem });
    stagingDirect = await startFrontEnd(site, metrics, { cert: certs.certPem, key: certs.keyPem }, 'staging');
    for (const url of [`${frontEnd.url}/health?x-ms-routing-name=self`, `${stagingDirect.url}/health`]) {
      await waitFor(`${url} to answer`, async () =>
        (await client.get(url).catch(() => undefined))?.status === 200 ? true : undefined,
      );
    }
  });
  after(async () => {
    client.close();
    await frontEnd.close();
    await stagingDirect.close();
    await production.stop();
    await staging.stop();
  });

  it('sends close to the rule’s share of 2,000 requests to the slot, and the metrics count the same', async () => {
    const before = { prod: sum(metrics, siteId), slot: sum(metrics, slotId) };
    const answers = await inParallel(2000, 16, () => client.get(`${frontEnd.url}/`));
    assert.ok(answers.every((a) => a.status === 200));
    const toSlot = answers.filter(
      (a) => (JSON.parse(a.body) as { version: string }).version === '2.0.0',
    ).length;
    assert.ok(toSlot > 2000 * 0.07 && toSlot < 2000 * 0.13, `${toSlot} of 2000 reached the slot`);
    assert.equal(sum(metrics, slotId) - before.slot, toSlot);
    assert.equal(sum(metrics, siteId) - before.prod, 2000 - toSlot);
  });

  it('pins a client with the routing cookie it sets', async () => {
    const first = await client.get(`${frontEnd.url}/?x-ms-routing-name=staging`);
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    assert.equal(cookie, 'x-ms-routing-name=staging');
    const answers = await inParallel(50, 8, () => client.get(`${frontEnd.url}/`, { cookie }));
    assert.ok(answers.every((a) => (JSON.parse(a.body) as { slot: string }).slot === 'staging'));
  });

  it('keeps steady load at the asked rate as fresh clients, and stops when its time is up', async () => {
    const rules0 = sum(metrics, siteId) + sum(metrics, slotId);
    const summary = await generateLoad({ url: `${frontEnd.url}/`, rate: 100, durationMs: 1000 });
    assert.ok(summary.sent > 0 && summary.sent <= 101, `sent ${summary.sent}`);
    assert.deepEqual(summary.byStatus, { '200': summary.sent });
    assert.equal(
      sum(metrics, siteId) + sum(metrics, slotId) - rules0,
      summary.sent,
      'every request reached a slot and was counted',
    );
  });

  it('runs an image’s failing health check and crash faults for real', async () => {
    const sick = new SlotProcess('staging');
    await sick.run(
      'sandboxregistry.azurecr.io/web:sick',
      imageFaultsSchema.parse({ unhealthy: 'true', crashAfterRequests: '3' }),
    );
    const direct = {
      rules: () => [],
      backend: () => ({ port: sick.port, stopped: false, resourceId: slotId }),
    };
    const sickEnd = await startFrontEnd(
      direct,
      metrics,
      { cert: certs.certPem, key: certs.keyPem },
      'staging',
    );
    try {
      // Until the app listens, the front end itself answers 503; the app's own answer names the fault.
      await waitFor('the app to listen', async () =>
        (await client.get(`${sickEnd.url}/health`)).body.includes('unhealthy') ? true : undefined,
      );
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await client.get(`${sickEnd.url}/`)).status);
      // The health answer was its first request; it exits on its fourth.
      assert.deepEqual(statuses, [200, 200, 503]);
      await waitFor('the crashed process to be gone', () =>
        Promise.resolve(sick.port === undefined ? true : undefined),
      );
    } finally {
      await sickEnd.close();
      await sick.stop();
    }
  });

  it("reaches a slot directly on its own host name, and answers 503 while the slot's app is down", async () => {
    const direct = await client.get(`${stagingDirect.url}/`);
    assert.equal((JSON.parse(direct.body) as { version: string }).version, '2.0.0');
    await staging.stop();
    const down = await client.get(`${stagingDirect.url}/`);
    assert.equal(down.status, 503);
  });
});

function sum(metrics: MetricsStore, resourceId: string): number {
  const now = Date.parse('2026-04-01T10:00:00Z');
  return metrics
    .series(resourceId, 'Requests', now, now + 60_000, 60_000)
    .reduce((total, p) => total + p.total, 0);
}
