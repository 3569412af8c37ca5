import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { LocalHost } from '../../dev/host/host';
import type { InstanceState } from '../../dev/host/durable/instanceState';
import { siteResourceId } from '../../src/azure/siteRef';
import type { AuditEntry } from '../../src/domain/auditEntry';
import type { Freeze } from '../../src/domain/freeze';
import { httpsGetter } from '../support/https';
import { rigRegistry, rigSite, rigSubscription, rigTarget, startReleaseRig } from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

interface ReleaseView {
  id: string;
  outcome?: string;
  reason?: string;
  freezesBeganWhileRunning?: { holds: string; source: string }[];
}

/** The first moment of the month after `now`, UTC: when a monthly budget resets. */
function nextMonth(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Sandbox minutes between the rig's start and the budget's reset: room for the work before it. */
const minutesBeforeReset = 45;

describe('budgets and freezes, end to end on the local host and the sandbox', () => {
  const http = httpsGetter();
  let rig: ReleaseRig;
  let host: LocalHost;
  let reset: number;
  /** What each environment's notification webhook received, by its path. */
  const notices: { path: string; text: string }[] = [];
  const noticeServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      notices.push({ path: req.url ?? '', text: (JSON.parse(body) as { text: string }).text });
      res.writeHead(200).end();
    });
  });
  /** The push of web 2.0.0 the budget freeze refused. */
  let refused: { digest: string; releaseId: string };

  before(async () => {
    await new Promise<void>((resolve) => noticeServer.listen(0, '127.0.0.1', resolve));
    const hooks = `http://127.0.0.1:${(noticeServer.address() as AddressInfo).port}`;
    // A reset that lies ahead of both this machine's time and the rig's clock, whatever the day.
    reset = nextMonth(Date.now() + (minutesBeforeReset + 5) * 60_000);
    rig = await startReleaseRig({
      secondsPerMinute: 1,
      clockStart: reset - minutesBeforeReset * 60_000,
      actionGroup: true,
      sites: ['web', 'web-dev'].map((name) => ({ name, image: `${rigRegistry}/contoso/${name}:1.0.0` })),
      targets: [
        rigTarget('web', { environment: 'production' }),
        rigTarget('web-dev', {
          environment: 'dev',
          canary: { steps: [100], intervalMinutes: 1 },
          gates: { minRequests: 5, metricsSettleSeconds: 0 },
          bakeMinutes: 0,
        }),
      ],
      environments: [
        { name: 'dev', notifications: { webhooks: [{ url: `${hooks}/dev` }] } },
        { name: 'production', notifications: { webhooks: [{ url: `${hooks}/production` }] } },
      ],
      budgets: [
        {
          name: 'team-budget',
          scope: { subscriptionId: rigSubscription },
          environments: ['dev', 'production'],
          critical: { percent: 120 },
        },
      ],
    });
    if (!rig.host) throw new Error('the rig runs the host in this process');
    host = rig.host;
    void rig.loadOn('web-dev', 20);
  });

  after(async () => {
    http.close();
    await rig.stop();
    await new Promise<void>((resolve) => noticeServer.close(() => resolve()));
  });

  const key = (): string => rig.functionKey;

  function budgetAlert(thresholdPercent: number, extra: Record<string, unknown> = {}) {
    return rig.sandbox.actionGroup.sendBudgetAlert({
      budgetName: 'team-budget',
      thresholdPercent,
      budgetAmount: 1000,
      spent: thresholdPercent * 10 + 3.5,
      ...extra,
    });
  }

  function instances(name: string): InstanceState[] {
    return host.engine.list().filter((s) => s.name === name);
  }

  function ended(id: string): Promise<InstanceState> {
    return waitFor(
      `${id} to end`,
      () => {
        const state = host.engine.get(id);
        return Promise.resolve(
          state?.runtimeStatus === 'Completed' || state?.runtimeStatus === 'Failed' ? state : undefined,
        );
      },
      120_000,
    );
  }

  async function release(id: string): Promise<ReleaseView> {
    await ended(id);
    const view = await call(host.url, `/api/releases/${encodeURIComponent(id)}`, { key: key() });
    assert.equal(view.status, 200, view.text);
    return view.body as ReleaseView;
  }

  async function pushed(reference: string): Promise<{ digest: string; releaseId: string }> {
    const push = await rig.sandbox.registry.push(reference);
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
    );
    const started = instances('release').find((r) => (r.input as { digest?: string }).digest === push.digest);
    assert.ok(started, `the push of ${reference} started a release`);
    return { digest: push.digest, releaseId: started.instanceId };
  }

  async function freezes(): Promise<(Freeze & { holds: string })[]> {
    const res = await call(host.url, '/api/freezes', { key: key() });
    assert.equal(res.status, 200, res.text);
    return (res.body as { freezes: (Freeze & { holds: string })[] }).freezes;
  }

  async function auditOf(query: string): Promise<AuditEntry[]> {
    const res = await call(host.url, `/api/audit?${query}`, { key: key() });
    assert.equal(res.status, 200, res.text);
    return (res.body as { entries: AuditEntry[] }).entries;
  }

  function noticesTo(environment: string, pattern: RegExp): string[] {
    return notices.filter((n) => n.path === `/${environment}` && pattern.test(n.text)).map((n) => n.text);
  }

  function slotState(site: string, slot: string): string | undefined {
    return rig.siteNamed(site).slot(slot)?.config.state;
  }

  it('tells people once at 80% however often Azure delivers it, recording every delivery', async () => {
    const first = await budgetAlert(80);
    const again = await budgetAlert(80);
    const older = await budgetAlert(80, { shape: 'legacy' });
    for (const sent of [first, again, older])
      assert.deepEqual(
        sent.deliveries.map((d) => d.status),
        [202],
      );
    const acting = instances('budgetResponse');
    assert.equal(acting.length, 1, 'one response for three deliveries');
    await ended(acting[0]?.instanceId ?? '');
    assert.equal(noticesTo('dev', /80%/).length, 1);
    assert.equal(noticesTo('production', /80%/).length, 1);
    assert.match(
      noticesTo('dev', /80%/).at(0) ?? '',
      /Budget team-budget .*spending reached 80% of \$1,000\.00 .*only tells you/,
    );
    const trail = (await auditOf('budget=team-budget')).filter((e) => e.detail.startsWith('80% '));
    assert.deepEqual(trail.map((e) => e.outcome).sort(), ['ignored', 'ignored', 'started']);
    assert.deepEqual(await freezes(), []);
  });

  it('lets a release that runs when the budget is spent finish, and its status says a freeze began', async () => {
    const running = await pushed('contoso/web-dev:2.0.0');
    await waitFor('web-dev’s release to take traffic', () =>
      Promise.resolve(
        ['canary', 'promoting'].includes(
          (host.engine.get(running.releaseId)?.customStatus as { phase?: string } | undefined)?.phase ?? '',
        )
          ? true
          : undefined,
      ),
    );
    await budgetAlert(100);
    const frozen = await waitFor('the budget freeze', async () => {
      const now = await freezes();
      return now.length === 2 ? now : undefined;
    });
    assert.deepEqual(frozen.map((f) => [f.holds, f.source]).sort(), [
      ['the dev environment', 'budget'],
      ['the production environment', 'budget'],
    ]);
    const dev = frozen.find((f) => f.scope.name === 'dev');
    assert.deepEqual(dev?.releasesRunning, [running.releaseId]);
    assert.equal(dev.until, new Date(reset).toISOString());
    const view = await release(running.releaseId);
    assert.equal(view.outcome, 'succeeded', view.reason);
    assert.deepEqual(
      view.freezesBeganWhileRunning?.map((f) => [f.holds, f.source]),
      [['the dev environment', 'budget']],
    );
    const told = await waitFor('the 100% notice', () =>
      Promise.resolve(noticesTo('production', /100%/).at(0)),
    );
    assert.match(told, /releases to dev, production are frozen until/);
  });

  it('refuses a push while frozen, saying how to release it later; a rollback still runs', async () => {
    refused = await pushed('contoso/web:2.0.0');
    const view = await release(refused.releaseId);
    assert.equal(view.outcome, 'refused');
    assert.match(
      view.reason ?? '',
      /releases to the production environment are frozen: .*budget team-budget reached 100%/,
    );
    assert.match(
      view.reason ?? '',
      new RegExp(`POST /api/targets/web/releases \\{"image": "${refused.digest}"`),
    );
    const rollback = await call(host.url, '/api/targets/web-dev/rollback', {
      method: 'POST',
      key: key(),
      body: { reason: 'back to the last good build' },
    });
    assert.equal(rollback.status, 202, rollback.text);
    const back = await release((rollback.body as { rollingBack: string }).rollingBack);
    assert.notEqual(back.outcome, 'refused', back.reason);
    assert.doesNotMatch(back.reason ?? '', /frozen/);
  });

  it('stops the non-production apps at the critical threshold, never production', async () => {
    await budgetAlert(120);
    // The response stops slot after slot; once it holds, it has stopped all it will.
    await waitFor('the critical response to hold', () =>
      Promise.resolve(
        instances('budgetResponse').some(
          (r) =>
            r.instanceId.includes(':120:') &&
            (r.customStatus as { phase?: string } | null)?.phase === 'holding',
        )
          ? true
          : undefined,
      ),
    );
    assert.equal(slotState('web-dev', 'production'), 'Stopped');
    assert.equal(slotState('web-dev', 'staging'), 'Stopped');
    assert.equal(slotState('web', 'production'), 'Running');
    assert.equal(slotState('web', 'staging'), 'Running');
    const stopped = await http.get(`https://${rig.siteNamed('web-dev').hostName()}/`);
    assert.equal(stopped.status, 403);
    const production = await http.get(`https://${rig.siteNamed('web').hostName()}/?x-ms-routing-name=self`);
    assert.equal(production.status, 200);
    const trail = await auditOf('target=web-dev');
    assert.equal(trail.filter((e) => e.action === 'apps.stopped').length, 2);
  });

  it('lets a person lift dev’s budget freeze early, which starts its apps; production stays frozen', async () => {
    const lift = await call(host.url, '/api/environments/dev/freeze', {
      method: 'DELETE',
      key: key(),
      body: { reason: 'the demo needs dev', source: 'budget' },
    });
    assert.equal(lift.status, 200, lift.text);
    await waitFor('web-dev to start again', () =>
      Promise.resolve(
        slotState('web-dev', 'production') === 'Running' && slotState('web-dev', 'staging') === 'Running'
          ? true
          : undefined,
      ),
    );
    assert.deepEqual(
      (await freezes()).map((f) => [f.holds, f.source]),
      [['the production environment', 'budget']],
    );
  });

  it('lifts the rest when the budget resets; the refused image releases then', async () => {
    for (const response of instances('budgetResponse')) await ended(response.instanceId);
    assert.ok(rig.clock.now() >= reset);
    assert.deepEqual(await freezes(), []);
    assert.equal(slotState('web-dev', 'production'), 'Running');
    assert.equal(slotState('web-dev', 'staging'), 'Running');
    const again = await call(host.url, '/api/targets/web/releases', {
      method: 'POST',
      key: key(),
      body: { image: refused.digest, reason: 'the budget reset' },
    });
    assert.equal(again.status, 202, again.text);
    const releaseId = (again.body as { releaseId: string }).releaseId;
    await waitFor('the release to pass its warm-up', () =>
      Promise.resolve(
        ['smokeTesting', 'canary', 'awaitingApproval', 'promoting', 'baking', 'done'].includes(
          (host.engine.get(releaseId)?.customStatus as { phase?: string } | undefined)?.phase ?? '',
        )
          ? true
          : undefined,
      ),
    );
    assert.ok(noticesTo('dev', /the budget reset/).length >= 1);
    const history = await call(host.url, '/api/freezes?history=true', { key: key() });
    assert.equal((history.body as { freezes: Freeze[] }).freezes.filter((f) => f.lifted).length, 2);
  });

  it('freezes a target while an alert fires on it, and lifts it when the alert is resolved', async () => {
    const site = siteResourceId(rigSite('web'));
    // The same alert delivered twice: the sandbox names an alert after its rule and resources, as Azure keeps its id.
    await rig.sandbox.actionGroup.sendMetricAlert({ resourceIds: [site], condition: 'Fired' });
    await rig.sandbox.actionGroup.sendMetricAlert({ resourceIds: [site], condition: 'Fired' });
    const held = await freezes();
    assert.deepEqual(
      held.map((f) => [f.holds, f.source, f.alerts?.length]),
      [['target web', 'alert', 1]],
      'one freeze for the flood',
    );
    const push = await pushed('contoso/web:2.1.0');
    const view = await release(push.releaseId);
    assert.equal(view.outcome, 'refused');
    assert.match(view.reason ?? '', /releases to web are frozen: target web is frozen \(alert: /);
    await rig.sandbox.actionGroup.sendMetricAlert({ resourceIds: [site], condition: 'Resolved' });
    assert.deepEqual(await freezes(), []);
    const trail = await auditOf('target=web');
    assert.deepEqual(
      trail.filter((e) => e.action.startsWith('freeze.')).map((e) => [e.action, e.by.kind]),
      [
        ['freeze.lifted', 'alert'],
        ['freeze.set', 'alert'],
      ],
    );
  });

  it('freezes an environment by hand and lifts it, recording who and why', async () => {
    const put = await call(host.url, '/api/environments/dev/freeze', {
      method: 'PUT',
      key: key(),
      body: { reason: 'release train closed for the demo' },
    });
    assert.equal(put.status, 201, put.text);
    const manual = (await freezes()).at(0);
    assert.deepEqual(
      [manual?.source, manual?.reason, manual?.by],
      [
        'manual',
        'release train closed for the demo',
        { kind: 'person', name: 'a holder of the function key' },
      ],
    );
    const push = await pushed('contoso/web-dev:3.0.0');
    assert.equal((await release(push.releaseId)).outcome, 'refused');
    const lift = await call(host.url, '/api/environments/dev/freeze', {
      method: 'DELETE',
      key: key(),
      body: { reason: 'demo over' },
    });
    assert.equal(lift.status, 200, lift.text);
    assert.deepEqual(await freezes(), []);
    const trail = (await auditOf('environment=dev'))
      .filter((e) => e.action.startsWith('freeze.') && e.by.kind === 'person')
      .slice(0, 2);
    assert.deepEqual(
      trail.map((e) => [e.action, e.detail]),
      [
        ['freeze.lifted', 'manual freeze lifted: demo over'],
        ['freeze.set', 'frozen: release train closed for the demo'],
      ],
    );
    const lifted = await waitFor('the lift notice', () =>
      Promise.resolve(noticesTo('dev', /demo over/).at(0)),
    );
    assert.match(
      lifted,
      /no longer frozen: a holder of the function key lifted the manual freeze \(demo over\)/,
    );
  });

  it('answers bad freeze requests and malformed budget alerts with a clear 4xx, changing nothing', async () => {
    const ask = (method: string, path: string, body: unknown) =>
      call(host.url, path, { method, key: key(), body });
    const cases: [Promise<{ status: number; headers: Headers }>, number][] = [
      [ask('PUT', '/api/environments/dev/freeze', {}), 400],
      [ask('PUT', '/api/environments/dev/freeze', { reason: 'x', until: '2000-01-01T00:00:00Z' }), 400],
      [ask('PUT', '/api/environments/dev/freeze', { reason: 'x', extra: 1 }), 400],
      [ask('PUT', '/api/environments/nowhere/freeze', { reason: 'x' }), 404],
      [ask('DELETE', '/api/environments/dev/freeze', { reason: 'nothing is frozen' }), 404],
      [ask('GET', '/api/freezes?all=1', undefined), 400],
    ];
    for (const [answer, status] of cases) {
      const res = await answer;
      assert.equal(res.status, status);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
    }
    for (const [method, path] of [
      ['GET', '/api/freezes'],
      ['PUT', '/api/environments/dev/freeze'],
      ['DELETE', '/api/environments/dev/freeze'],
    ] as const) {
      const noKey = await call(host.url, path, {
        method,
        ...(method === 'GET' ? {} : { body: { reason: 'no key' } }),
      });
      assert.equal(noKey.status, 401, `${method} ${path} without a key`);
    }
    const wrongSecret = await call(host.url, '/api/hooks/azure-monitor?secret=wrong-secret-0123456789', {
      method: 'POST',
      body: { schemaId: 'AIP Budget Notification', data: {} },
    });
    assert.equal(wrongSecret.status, 401);
    const before = host.engine.list().length;
    const budget = await call(host.url, `/api/hooks/azure-monitor?secret=${rig.alertSecret}`, {
      method: 'POST',
      body: {
        schemaId: 'AIP Budget Notification',
        data: {
          BudgetName: 'team-budget',
          Budget: 'lots',
          SpendingAmount: '12',
          NotificationThresholdAmount: '0.8',
        },
      },
    });
    assert.equal(budget.status, 400);
    assert.equal(budget.headers.get('content-type'), 'application/problem+json');
    assert.match(JSON.stringify(budget.body), /data\.Budget/);
    assert.equal(host.engine.list().length, before);
    assert.deepEqual(await freezes(), []);
  });
});
