import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvocationContext } from '@azure/functions';
import type { TokenCredential } from '@azure/identity';
import * as df from 'durable-functions';
import { startAzurite } from '../../dev/azurite';
import type { RunningAzurite } from '../../dev/azurite';
import { VirtualClock } from '../../dev/host/clock';
import { durableClientData } from '../../dev/host/durable/clientBinding';
import type { LocalHost } from '../../dev/host/host';
import { createAppService } from '../../dev/sandbox/appService/module';
import { imageFaultsSchema } from '../../dev/sandbox/imageFaults';
import { carryOutDriftItem, planDriftCleanup } from '../../src/activities/driftCheck';
import { TableFreezeStore } from '../../src/azure/freezeStore';
import { ArmResourceTags } from '../../src/azure/resourceTags';
import { AppServiceSitePower } from '../../src/azure/sitePower';
import { AppServiceSlotDeployment } from '../../src/azure/slotDeployment';
import { openStateTable } from '../../src/azure/stateTable';
import { AppServiceTrafficRouter } from '../../src/azure/trafficRouter';
import { WebAppsClients } from '../../src/azure/webAppsClients';
import { loadConfig } from '../../src/config';
import type { CleanupItem, CleanupPlan } from '../../src/domain/cleanupPlan';
import { knownGoodTags } from '../../src/domain/knownGood';
import type { DriftServices } from '../../src/driftServices';
import { sandboxCredential, startTestSandbox } from '../support/sandbox';
import { startTestHost, tempDir, testKeys, testSettings } from '../support/testHost';

const subscriptionId = '00000000-0000-0000-0000-0000000d0001';
const resourceGroup = 'drift-rg';
const site = (name: string): { subscriptionId: string; resourceGroup: string; name: string } => ({
  subscriptionId,
  resourceGroup,
  name,
});
const image = (repo: string, tag: string): string => `sandboxregistry.azurecr.io/contoso/${repo}:${tag}`;
const noToken: TokenCredential = { getToken: () => Promise.reject(new Error('no token expected')) };

function driftConfig(): ReturnType<typeof loadConfig> {
  const root = tempDir('drift-config');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.0.0' }));
  const target = (name: string, environment = 'production'): Record<string, unknown> => ({
    name,
    environment,
    site: { ...site(`contoso-${name}`), slot: 'staging' },
    registry: { loginServer: 'sandboxregistry.azurecr.io', repository: `contoso/${name}` },
  });
  writeFileSync(
    join(root, 'targets.json'),
    JSON.stringify({ targets: [target('web'), target('api'), target('gone'), target('lab', 'dev')] }),
  );
  return loadConfig(
    {
      SHEPHERD_TASK_HUB: 'DriftCheck',
      SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
      SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
    },
    root,
  );
}

describe('the drift check against the sandbox', () => {
  const knownGood = (repo: string, tag: string): Record<string, string> => ({
    [knownGoodTags.latest]: image(repo, tag),
  });
  const appService = createAppService({
    sites: [
      {
        ...site('contoso-web'),
        location: 'West Europe',
        slots: ['staging'],
        image: image('web', '2.0.0'),
        tags: knownGood('web', '2.0.0'),
      },
      {
        ...site('contoso-api'),
        location: 'West Europe',
        slots: ['staging'],
        image: image('api', '3.0.0'),
        tags: knownGood('api', '2.0.0'),
      },
      {
        ...site('contoso-lab'),
        location: 'West Europe',
        slots: ['staging'],
        image: image('lab', '1.0.0'),
        tags: knownGood('lab', '1.0.0'),
      },
    ],
    images: () => imageFaultsSchema.parse({}),
  });
  const config = driftConfig();
  const clock = new VirtualClock(Date.parse('2026-06-10T08:00:00Z'));
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let azurite: RunningAzurite;
  let host: LocalHost;
  let services: DriftServices;
  let context: InvocationContext;

  const plan = (): Promise<CleanupPlan> =>
    planDriftCleanup(config, services)({ now: new Date(clock.now()).toISOString() }, context);
  const itemsOf = (p: CleanupPlan): [string, string][] =>
    p.items.map((i): [string, string] => [i.id, i.action]).sort((a, b) => a[0].localeCompare(b[0]));
  const itemOf = (p: CleanupPlan, id: string): CleanupItem => {
    const found = p.items.find((i) => i.id === id);
    assert.ok(found, `${id} is in the plan`);
    return found;
  };

  before(async () => {
    [sandbox, azurite, host] = await Promise.all([
      startTestSandbox([appService.module]),
      startAzurite({ location: tempDir('drift-azurite') }),
      startTestHost({ clock }),
    ]);
    const credential = sandboxCredential(sandbox.url, sandbox.identity);
    const clients = new WebAppsClients({ credential, endpoint: sandbox.url });
    const freezes = new TableFreezeStore(
      openStateTable({ connectionString: azurite.connectionString }, noToken, 'DriftFreezes'),
    );
    services = {
      router: new AppServiceTrafficRouter(clients),
      slots: new AppServiceSlotDeployment(clients),
      tags: new ArmResourceTags({ credential, endpoint: sandbox.url }),
      power: new AppServiceSitePower(clients),
      freezes,
    };
    const durableClient = df.input.durableClient();
    context = new InvocationContext({
      functionName: 'planDriftCleanup',
      options: { extraInputs: [durableClient] },
    });
    context.extraInputs.set(
      durableClient,
      durableClientData(
        host.url,
        testSettings.Values.TEST_TASK_HUB,
        testKeys.system.durabletask_extension ?? '',
      ),
    );
    // What people did outside Shepherd: a canary share left on web, api's production stopped by hand,
    // lab's staging stopped by the dev environment's budget.
    await services.router.setSlotShare(site('contoso-web'), 'staging', 10);
    await services.power.stop(site('contoso-api'));
    await services.power.stop(site('contoso-lab'), 'staging');
    await freezes.begin({
      scope: { kind: 'environment', name: 'dev' },
      id: 'budget:lab-monthly:2026-06-01',
      source: 'budget',
      reason: 'the lab budget reached its critical threshold',
      by: { kind: 'shepherd' },
      since: '2026-06-09T00:00:00.000Z',
      until: '2026-07-01T00:00:00.000Z',
      releasesRunning: [],
    });
  });
  after(async () => {
    await host.stop();
    await Promise.all([sandbox.close(), azurite.stop()]);
  });

  it('finds the stray rule, the app stopped by hand, the image off known good and the missing site', async () => {
    const found = await plan();
    assert.equal(found.kind, 'drift');
    assert.deepEqual(itemsOf(found), [
      ['drift:api:production-image', 'report'],
      ['drift:api:stopped:production', 'report'],
      ['drift:gone:site', 'report'],
      ['drift:lab:stopped:staging', 'keep'],
      ['drift:web:routing', 'fix'],
    ]);
    assert.match(
      itemOf(found, 'drift:api:production-image').reasons.join(),
      /api:3\.0\.0, not the known-good .*api:2\.0\.0/,
    );
    assert.match(itemOf(found, 'drift:lab:stopped:staging').reasons.join(), /budget:lab-monthly:2026-06-01/);
    assert.deepEqual(
      (await services.router.slotShares(site('contoso-web'))).map((s) => [s.slot, s.percent]),
      [['staging', 10]],
      'planning changes nothing',
    );
  });

  it('clears the stray rule, and answers gone once it is cleared', async () => {
    const item = itemOf(await plan(), 'drift:web:routing');
    assert.equal(await carryOutDriftItem(config, services)({ item }, context), 'done');
    assert.deepEqual(await services.router.slotShares(site('contoso-web')), []);
    assert.equal(await carryOutDriftItem(config, services)({ item }, context), 'gone');
    assert.ok(!(await plan()).items.some((i) => i.id === 'drift:web:routing'));
  });

  it('keeps a routing rule while a release of the target runs, even when a stale fix asks', async () => {
    await services.router.setSlotShare(site('contoso-web'), 'staging', 10);
    const stale = itemOf(await plan(), 'drift:web:routing');
    assert.equal(stale.action, 'fix');
    host.engine.startNew('lateListener', { instanceId: 'release:web:drift-1' });
    await host.idle();
    const during = await plan();
    assert.equal(itemOf(during, 'drift:web:routing').action, 'keep');
    assert.match(itemOf(during, 'drift:web:routing').reasons.join(), /release:web:drift-1 is running/);
    assert.equal(await carryOutDriftItem(config, services)({ item: stale }, context), 'gone');
    assert.deepEqual(
      (await services.router.slotShares(site('contoso-web'))).map((s) => s.percent),
      [10],
    );
  });

  it('carries out only fix items', async () => {
    const report = itemOf(await plan(), 'drift:api:stopped:production');
    await assert.rejects(carryOutDriftItem(config, services)({ item: report }, context), RangeError);
  });
});
