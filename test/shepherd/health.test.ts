import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalHost } from '../../dev/host/host';
import { call, repoRoot, tempDir } from '../support/testHost';

describe('GET /api/health and /api/health/details', () => {
  let host: LocalHost;
  const secret = 'health-must-not-show-this-0123456789';
  const functionKey = 'health-function-key-0123456789';

  before(async () => {
    // A secret-looking setting, to show settings values stay out of the report.
    process.env.SHEPHERD_TEST_PASSWORD = secret;
    host = await LocalHost.start({
      appDir: repoRoot,
      port: 0,
      dataDir: tempDir('health'),
      settings: {
        Values: {
          SHEPHERD_TASK_HUB: 'ShepherdHealth',
          SHEPHERD_TARGETS_FILE: 'dev/targets.sandbox.json',
          SHEPHERD_ACR_WEBHOOK_SECRET: secret,
          SHEPHERD_ALERT_WEBHOOK_SECRET: secret,
          SHEPHERD_STATE_STORAGE: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${secret};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;`,
        },
        Keys: { master: secret, host: { default: functionKey }, functions: {}, system: {} },
      },
    });
  });
  after(() => host.stop());

  it('answers anyone without a key that it is alive, and its version, and nothing more', async () => {
    const res = await call(host.url, '/api/health');
    assert.equal(res.status, 200);
    const body = res.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['status', 'version']);
    assert.equal(body.status, 'ok');
    assert.match(String(body.version), /^\d+\.\d+\.\d+/);
    assert.doesNotMatch(res.text, /contoso/, 'no target, site or repository');
  });

  it('tells a function-key holder the registered functions and the targets', async () => {
    assert.equal((await call(host.url, '/api/health/details')).status, 401);
    const res = await call(host.url, '/api/health/details', { key: functionKey });
    assert.equal(res.status, 200);
    const body = res.body as {
      status: string;
      version: string;
      functions: string[];
      config: { taskHub: string; targets: { name: string; slot: string; repository: string }[] };
    };
    assert.equal(body.status, 'ok');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.ok(body.functions.includes('healthCheck'));
    assert.ok(body.functions.includes('healthDetails'));
    assert.ok(body.functions.includes('readAudit') && body.functions.includes('recordAudit'));
    assert.equal(body.config.taskHub, 'ShepherdHealth');
    assert.deepEqual(
      body.config.targets.map((t) => [t.name, t.slot, t.repository]),
      [['contoso-web', 'staging', 'sandboxregistry.azurecr.io/contoso/web']],
    );
  });

  it('shows no secret value', async () => {
    for (const path of ['/api/health', '/api/health/details']) {
      const res = await call(host.url, path, { key: functionKey });
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.text, new RegExp(secret));
    }
  });
});
