import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { siteResourceId } from '../../src/azure/siteRef';
import { loadConfig } from '../../src/config';
import { alertedTargets } from '../../src/functions/alertedTargets';
import { parseCommonAlert } from '../../src/functions/payloads/commonAlert';
import { fixture } from '../support/fixtures';
import { tempDir } from '../support/testHost';

const subscription = 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e';
const site = (name: string) => ({ subscriptionId: subscription, resourceGroup: 'test-RG', name });
// As the targets file would name them; the published alerts spell the same ids in other cases.
const component = `/subscriptions/${subscription}/resourceGroups/test-RG/providers/Microsoft.Insights/components/test-applicationInsights`;
const workspace = `/subscriptions/${subscription}/resourceGroups/test-RG/providers/Microsoft.OperationalInsights/workspaces/test-logAnalyticsWorkspace`;

function targetsOf(targets: unknown[]) {
  const root = tempDir('alerted');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.0.0' }));
  writeFileSync(join(root, 'targets.json'), JSON.stringify({ targets }));
  return loadConfig(
    {
      SHEPHERD_TASK_HUB: 'Hub1',
      SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
      SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
    },
    root,
  ).targets;
}

/** The resource ids a published alert names, read as the alert webhook reads them. */
function alertOn(name: string, targetIds?: string[]): string[] {
  const body = structuredClone(fixture(name)) as { data: { essentials: Record<string, unknown> } };
  if (targetIds) body.data.essentials.alertTargetIDs = targetIds;
  const parsed = parseCommonAlert(body);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.value.targetResourceIds;
}

describe('which targets a fired alert is about', () => {
  const targets = targetsOf([
    {
      name: 'web',
      site: site('web'),
      registry: { loginServer: 'contoso.azurecr.io', repository: 'contoso/web' },
      alertResources: [component],
    },
    {
      name: 'api',
      site: site('api'),
      registry: { loginServer: 'contoso.azurecr.io', repository: 'contoso/api' },
      alertResources: [workspace],
    },
    {
      name: 'shop',
      site: site('shop'),
      registry: { loginServer: 'contoso.azurecr.io', repository: 'contoso/shop' },
    },
  ]);
  const webSite = siteResourceId(site('web'));

  const rows: { rule: string; ids: string[]; targets: string[] }[] = [
    {
      rule: 'a metric alert on the site, whatever the case of its id',
      ids: alertOn('monitor-alert-metric-static-fired.json', [webSite.toUpperCase()]),
      targets: ['web'],
    },
    {
      rule: 'a metric alert on the release slot',
      ids: alertOn('monitor-alert-metric-static-fired.json', [siteResourceId(site('shop'), 'staging')]),
      targets: ['shop'],
    },
    {
      rule: 'the published availability test alert, on the Application Insights component web lists',
      ids: alertOn('monitor-alert-availability-test-fired.json'),
      targets: ['web'],
    },
    {
      rule: 'the published smart detection alert, on the same component',
      ids: alertOn('monitor-alert-smart-detector-fired.json'),
      targets: ['web'],
    },
    {
      rule: 'the published log search alert, on the Log Analytics workspace api lists',
      ids: alertOn('monitor-alert-log-v2-fired.json'),
      targets: ['api'],
    },
    {
      rule: 'an alert naming the component and the workspace',
      ids: alertOn('monitor-alert-log-v2-fired.json', [component, workspace]),
      targets: ['web', 'api'],
    },
    {
      rule: 'the published metric alert, on a storage account no target lists',
      ids: alertOn('monitor-alert-metric-static-fired.json'),
      targets: [],
    },
    {
      rule: 'an alert on another site whose name begins with a target’s',
      ids: alertOn('monitor-alert-metric-static-fired.json', [`${webSite}-old`]),
      targets: [],
    },
    {
      rule: 'the published budget alert, which names no resource',
      ids: alertOn('monitor-alert-budget-actual-costalerts-fired.json'),
      targets: [],
    },
  ];
  for (const r of rows) {
    it(`${r.targets.length === 0 ? 'is about no target for' : `is about ${r.targets.join(' and ')} for`} ${r.rule}`, () => {
      assert.deepEqual(
        alertedTargets(targets, r.ids).map((t) => t.name),
        r.targets,
      );
    });
  }
});
