import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { alertCommand, budgetCommand } from '../../dev/sandbox/actionGroup/commands';
import { readSandboxConfig } from '../../dev/sandbox/config';
import { repoRoot } from '../support/testHost';

const sites = [
  {
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    resourceGroup: 'shepherd-sandbox',
    name: 'contoso-web',
    slots: ['staging'],
  },
];
const siteId =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/shepherd-sandbox/providers/Microsoft.Web/sites/contoso-web';

describe('sandbox budget and alert commands', () => {
  it('reads a budget command’s words into the alert it sends', () => {
    assert.deepEqual(
      budgetCommand('shop-prod', {
        threshold: '120',
        kind: 'forecasted',
        spent: '1234.5',
        amount: '1000',
        currency: 'EUR',
        locale: 'de-DE',
        shape: 'legacy',
        'threshold-as': 'percent',
        start: '2026-01-01',
      }),
      {
        budgetName: 'shop-prod',
        thresholdPercent: 120,
        kind: 'forecasted',
        spent: 1234.5,
        budgetAmount: 1000,
        currency: 'EUR',
        locale: 'de-DE',
        shape: 'legacy',
        thresholdAs: 'percent',
        startDate: '2026-01-01',
      },
    );
    assert.deepEqual(budgetCommand('shop', { threshold: '80' }), {
      budgetName: 'shop',
      thresholdPercent: 80,
    });
  });

  it('refuses a budget command without a name or threshold, or with a bad number, kind, shape or currency', () => {
    assert.throws(() => budgetCommand(undefined, { threshold: '80' }), /budget’s name/);
    assert.throws(() => budgetCommand('shop', {}), /--threshold/);
    assert.throws(() => budgetCommand('shop', { threshold: 'lots' }), /--threshold takes a number/);
    assert.throws(() => budgetCommand('shop', { threshold: '80', spent: '' }), /--spent takes a number/);
    assert.throws(() => budgetCommand('shop', { threshold: '80', kind: 'guessed' }), /kind/);
    assert.throws(() => budgetCommand('shop', { threshold: '80', shape: 'new' }), /shape/);
    assert.throws(() => budgetCommand('shop', { threshold: '80', currency: 'euro' }), /currency/);
    assert.throws(() => budgetCommand('shop', { threshold: '0' }), /thresholdPercent/);
  });

  it('reads an alert command on a site or slot, and refuses one on anything else', () => {
    assert.deepEqual(alertCommand('contoso-web', 'fired', {}, sites), {
      resourceIds: [siteId],
      condition: 'Fired',
    });
    assert.deepEqual(alertCommand('contoso-web/staging', 'resolved', { rule: 'errors' }, sites), {
      resourceIds: [`${siteId}/slots/staging`],
      condition: 'Resolved',
      rule: 'errors',
    });
    assert.throws(() => alertCommand('fabrikam', 'fired', {}, sites), /contoso-web, contoso-web\/staging/);
    assert.throws(() => alertCommand('contoso-web/qa', 'fired', {}, sites), /a site or slot of the sandbox/);
    assert.throws(() => alertCommand('contoso-web', 'burning', {}, sites), /fired or resolved/);
  });

  it('points npm start’s action group at Shepherd’s Azure Monitor hook, with the alert secret from the settings', () => {
    const config = readSandboxConfig(join(repoRoot, 'dev', 'sandbox.json'), {
      SHEPHERD_LOCAL_URL: 'http://localhost:7071',
      SHEPHERD_ACR_WEBHOOK_SECRET: 'acr-secret-of-some-length',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'alert-secret-of-some-length',
    });
    assert.deepEqual(config.actionGroup.webhooks, [
      {
        name: 'shepherd',
        serviceUri: 'http://localhost:7071/api/hooks/azure-monitor?secret=alert-secret-of-some-length',
        useCommonAlertSchema: true,
      },
    ]);
  });
});
