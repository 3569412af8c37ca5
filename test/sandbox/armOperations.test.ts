import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ArmOperationLog, armOperationOf } from '../../dev/sandbox/armOperations';

const site = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/web';

describe('armOperationOf', () => {
  const cases: [string, string, string | undefined][] = [
    ['GET', `${site}?api-version=2024-11-01`, 'Microsoft.Web/sites/read'],
    ['GET', `${site}/slots`, 'Microsoft.Web/sites/slots/read'],
    ['PUT', `${site}/slots/staging/config/web`, 'Microsoft.Web/sites/slots/config/write'],
    ['PATCH', `${site}/config/web`, 'Microsoft.Web/sites/config/write'],
    ['POST', `${site}/config/appsettings/list`, 'Microsoft.Web/sites/config/list/action'],
    ['POST', `${site}/slots/staging/config/appsettings/list`, 'Microsoft.Web/sites/slots/config/list/action'],
    ['POST', `${site}/slotsswap`, 'Microsoft.Web/sites/slotsswap/action'],
    ['POST', `${site}/slots/staging/stop`, 'Microsoft.Web/sites/slots/stop/action'],
    ['GET', `${site}/providers/Microsoft.Insights/metrics`, 'Microsoft.Insights/metrics/read'],
    ['PATCH', `${site}/providers/Microsoft.Resources/tags/default`, 'Microsoft.Resources/tags/write'],
    [
      'GET',
      '/subscriptions/s/providers/Microsoft.Web/locations/West%20Europe/operationResults/1',
      'Microsoft.Web/locations/operationResults/read',
    ],
    ['POST', '/metrics/westeurope/subscriptions/s/metrics:getBatch', 'Microsoft.Insights/metrics/read'],
    ['DELETE', `${site}/slots/staging`, 'Microsoft.Web/sites/slots/delete'],
    ['GET', '/v2/contoso/web/manifests/1.0', undefined],
    ['POST', '/tenant/oauth2/v2.0/token', undefined],
  ];
  for (const [method, url, operation] of cases) {
    it(`${method} ${url} → ${operation ?? 'not ARM'}`, () => {
      assert.equal(armOperationOf(method, url), operation);
    });
  }
});

describe('ArmOperationLog', () => {
  it("writes down each of Shepherd's operations once, and no one else's", () => {
    const folder = mkdtempSync(join(tmpdir(), 'arm-log-'));
    const log = new ArmOperationLog(join(folder, 'one.log'));
    const shepherd = 'shepherd azsdk-js-arm-appservice/19.0.0 core-rest-pipeline/1.24.0 Node/20';
    log.note('PUT', `${site}/slots/staging/config/web`, shepherd, 200);
    log.note('PUT', `${site}/slots/staging/config/web`, shepherd, 200);
    log.note('GET', `${site}/slots/staging`, shepherd, 404);
    log.note('POST', `${site}/slotsswap`, 'azsdk-js-arm-appservice/19.0.0', 202);
    log.note('POST', `${site}/stop`, shepherd, 401);
    log.note('GET', site, undefined, 200);
    const expected = ['Microsoft.Web/sites/slots/config/write', 'Microsoft.Web/sites/slots/read'];
    assert.deepEqual(log.operations(), expected);
    assert.deepEqual(readdirSync(folder), ['one.log']);
    assert.deepEqual(readFileSync(join(folder, 'one.log'), 'utf8').trim().split('\n'), expected);
  });
});
