import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpResponse } from '@azure/functions';
import { parseAcrWebhook } from '../../src/functions/payloads/acrWebhook';
import { parseCommonAlert } from '../../src/functions/payloads/commonAlert';
import { parseImagePushedEvent } from '../../src/functions/payloads/imagePushedEvent';
import type { RepositoryFollowed } from '../../src/functions/payloads/imagePush';
import { problemResponse } from '../../src/functions/problem';
import { fixture } from '../support/fixtures';
import { edit, itRefuses, problemsOf, type Refusal } from '../support/payloadRows';

const notObjects: { what: string; payload: unknown }[] = [
  { what: 'a null', payload: null },
  { what: 'an array', payload: [] },
  { what: 'a string', payload: '{"action":"push"}' },
];

// The docs mask the webhook sample's digest with "xxxx"; a real delivery carries hex.
const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
const pushBody = edit(fixture('acr-webhook-push.json'), { 'target.digest': digest });
const pushed = {
  id: 'cb8c3971-9adc-488b-xxxx-43cbb4974ff5',
  timestamp: '2023-11-17T16:52:01.343145347Z',
  registry: 'myregistry.azurecr.io',
  repository: 'hello-world',
  tag: 'v1',
  digest,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
};
const pushedByDigest = edit(pushed, { tag: undefined }) as object;

/** As when a target follows every repository, so that each payload is read in full. */
const followsAll: RepositoryFollowed = () => true;
/** As when the only target follows hello-world of myregistry.azurecr.io, the push sample's repository. */
const followsHelloWorld: RepositoryFollowed = (repository, registry) =>
  repository === 'hello-world' && (registry === undefined || registry === 'myregistry.azurecr.io');

describe('ACR webhook payloads', () => {
  const accepted: { rule: string; body: unknown; expected: unknown }[] = [
    {
      rule: 'the published push sample (digest unmasked)',
      body: pushBody,
      expected: { kind: 'push', ...pushed },
    },
    {
      rule: 'a push by digest alone, with no tag',
      body: edit(pushBody, { 'target.tag': undefined }),
      expected: { kind: 'push', ...pushedByDigest },
    },
    {
      rule: 'an empty tag, as no tag',
      body: edit(pushBody, { 'target.tag': '' }),
      expected: { kind: 'push', ...pushedByDigest },
    },
    {
      rule: 'a registry host in mixed case, lower-cased',
      body: edit(pushBody, { 'request.host': 'MyRegistry.AzureCR.io' }),
      expected: { kind: 'push', ...pushed },
    },
    {
      rule: 'fields Azure may add later',
      body: edit(pushBody, { 'target.artifactType': 'application/vnd.example', source: { addr: 'x' } }),
      expected: { kind: 'push', ...pushed },
    },
    {
      rule: 'a ping from the portal',
      body: { id: 'p-1', action: 'ping' },
      expected: { kind: 'ping', id: 'p-1' },
    },
    {
      rule: 'the published delete sample, as ignored',
      body: fixture('acr-webhook-delete.json'),
      expected: { kind: 'ignored', action: 'delete', reason: 'a deletion starts no release' },
    },
    ...(['chart_push', 'chart_delete'] as const).map((action) => ({
      rule: `a ${action}, as ignored`,
      body: { action },
      expected: { kind: 'ignored', action, reason: 'Helm charts are not released' },
    })),
    {
      rule: 'a quarantine, as ignored',
      body: edit(pushBody, { action: 'quarantine' }),
      expected: { kind: 'ignored', action: 'quarantine', reason: 'an image in quarantine is not released' },
    },
    {
      rule: 'an action ACR may add later, as ignored, whatever else the body holds',
      body: { action: 'artifact_sign', target: 42 },
      expected: {
        kind: 'ignored',
        action: 'artifact_sign',
        reason: 'Shepherd does not act on the ACR action "artifact_sign"',
      },
    },
  ];
  for (const a of accepted) {
    it(`accepts ${a.rule}`, () => {
      assert.deepEqual(parseAcrWebhook(a.body, followsAll), { ok: true, value: a.expected });
    });
  }

  describe('a push for a repository no target follows', () => {
    const unknownShape = edit(pushBody, {
      'target.repository': 'other/app',
      'target.digest': 'sha384:abc',
      timestamp: 'now',
      id: undefined,
    });
    it('is ignored before its other fields are validated', () => {
      assert.deepEqual(parseAcrWebhook(unknownShape, followsHelloWorld), {
        ok: true,
        value: {
          kind: 'ignored',
          action: 'push',
          reason: 'no target follows myregistry.azurecr.io/other/app',
        },
      });
    });

    it('is ignored when another registry pushed a repository of a followed name', () => {
      const elsewhere = edit(pushBody, { 'request.host': 'Other.AzureCR.io', 'target.digest': undefined });
      const parsed = parseAcrWebhook(elsewhere, followsHelloWorld);
      assert.ok(parsed.ok && parsed.value.kind === 'ignored', JSON.stringify(parsed));
    });

    it('is ignored by name when the push does not say which registry sent it', () => {
      const parsed = parseAcrWebhook(edit(unknownShape, { request: 'x' }), followsHelloWorld);
      assert.deepEqual(parsed, {
        ok: true,
        value: { kind: 'ignored', action: 'push', reason: 'no target follows a repository named other/app' },
      });
    });

    it('is still validated in full when a target follows it, with the registry host in any case', () => {
      const followed = edit(pushBody, {
        'request.host': 'MyRegistry.azurecr.io',
        'target.digest': undefined,
      });
      assert.deepEqual(
        problemsOf(parseAcrWebhook(followed, followsHelloWorld)).map((p) => p.path),
        ['target.digest'],
      );
    });
  });

  const refused: Refusal[] = [
    {
      rule: 'the push sample with its masked digest',
      payload: fixture('acr-webhook-push.json'),
      paths: ['target.digest'],
      message: /^expected "sha256:" followed by 64 lowercase hex digits$/,
    },
    {
      rule: 'a missing digest',
      payload: edit(pushBody, { 'target.digest': undefined }),
      paths: ['target.digest'],
      message: /^is required$/,
    },
    {
      rule: 'upper-case hex',
      payload: edit(pushBody, { 'target.digest': digest.toUpperCase() }),
      paths: ['target.digest'],
    },
    {
      rule: 'a short digest',
      payload: edit(pushBody, { 'target.digest': digest.slice(0, -1) }),
      paths: ['target.digest'],
    },
    {
      rule: 'another digest algorithm',
      payload: edit(pushBody, { 'target.digest': digest.replace('sha256', 'sha512') }),
      paths: ['target.digest'],
    },
    {
      rule: 'an action that is not a string',
      payload: edit(pushBody, { action: 7 }),
      paths: ['action'],
      message: /^expected a string$/,
    },
    {
      rule: 'a missing action',
      payload: edit(pushBody, { action: undefined }),
      paths: ['action'],
      message: /^is required$/,
    },
    {
      rule: 'a push that names no repository, which could be anyone’s',
      payload: { action: 'push' },
      paths: ['id', 'timestamp', 'target', 'request'],
    },
    {
      rule: 'an empty repository',
      payload: edit(pushBody, { 'target.repository': '' }),
      paths: ['target.repository'],
      message: /^must not be empty$/,
    },
    {
      rule: 'a missing media type',
      payload: edit(pushBody, { 'target.mediaType': undefined }),
      paths: ['target.mediaType'],
    },
    {
      rule: 'a missing registry host',
      payload: edit(pushBody, { 'request.host': undefined }),
      paths: ['request.host'],
    },
    { rule: 'a missing request', payload: edit(pushBody, { request: undefined }), paths: ['request'] },
    {
      rule: 'a timestamp that is not ISO 8601',
      payload: edit(pushBody, { timestamp: '17/11/2023 16:52' }),
      paths: ['timestamp'],
      message: /ISO 8601/,
    },
    { rule: 'a ping without an id', payload: { action: 'ping' }, paths: ['id'] },
    ...notObjects.map(({ what, payload }) => ({
      rule: `${what} body`,
      payload,
      paths: [''],
      message: /expected object/,
    })),
    {
      rule: 'several problems, all at once',
      payload: edit(pushBody, {
        'target.digest': undefined,
        'target.repository': '',
        'request.host': undefined,
      }),
      paths: ['target.digest', 'target.repository', 'request.host'],
    },
  ];
  itRefuses((body) => parseAcrWebhook(body, followsAll), refused);
});

describe('Event Grid ImagePushed events', () => {
  const [cloudEvent] = fixture('eventgrid-acr-imagepushed.cloudevents.json') as Record<string, unknown>[];
  const { id, source, subject, type, time, data } = cloudEvent ?? {};
  const eventGridEvent = {
    id,
    topic: source,
    subject,
    eventType: type,
    eventTime: time,
    data,
    dataVersion: '1.0',
    metadataVersion: '1',
  };
  const imagePush = {
    id: '31c51664-e5bd-416a-a5df-e5206bc47ed0',
    timestamp: '2018-04-25T21:39:47.276585742Z',
    registry: 'demo.azurecr.io',
    repository: 'aci-helloworld',
    tag: 'v1',
    digest: 'sha256:213bbc182920ab41e18edc2001e06abcca6735d87782d9cef68abd83941cf0e5',
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  };

  const pushed = { kind: 'push', ...imagePush };

  it('reads the published CloudEvents sample', () => {
    assert.deepEqual(parseImagePushedEvent(cloudEvent, followsAll), { ok: true, value: pushed });
  });

  it('reads the same push in the Event Grid schema alike', () => {
    assert.deepEqual(parseImagePushedEvent(eventGridEvent, followsAll), { ok: true, value: pushed });
  });

  it('reads the older short event type, ImagePushed, in either schema', () => {
    assert.deepEqual(parseImagePushedEvent(edit(eventGridEvent, { eventType: 'ImagePushed' }), followsAll), {
      ok: true,
      value: pushed,
    });
    assert.deepEqual(parseImagePushedEvent(edit(cloudEvent, { type: 'ImagePushed' }), followsAll), {
      ok: true,
      value: pushed,
    });
  });

  it('gives the same push as the webhook carrying the same registry event', () => {
    assert.deepEqual(parseAcrWebhook(data, followsAll), { ok: true, value: pushed });
  });

  it('ignores a push for a repository no target follows before validating its data', () => {
    const unknownShape = edit(cloudEvent, { 'data.target.digest': undefined, 'data.timestamp': 7 });
    assert.deepEqual(parseImagePushedEvent(unknownShape, followsHelloWorld), {
      ok: true,
      value: { kind: 'ignored', reason: 'no target follows demo.azurecr.io/aci-helloworld' },
    });
  });

  const deleted = 'Microsoft.ContainerRegistry.ImageDeleted';
  const refused: Refusal[] = [
    {
      rule: 'another event type (CloudEvents), with that one problem',
      payload: edit(cloudEvent, {
        type: deleted,
        'data.action': 'delete',
        'data.target.tag': undefined,
        'data.request': undefined,
      }),
      paths: ['type'],
      message: /^expected "Microsoft\.ContainerRegistry\.ImagePushed"/,
    },
    {
      rule: 'another event type (Event Grid schema)',
      payload: edit(eventGridEvent, { eventType: deleted }),
      paths: ['eventType'],
    },
    {
      rule: 'an event without a type',
      payload: edit(eventGridEvent, { eventType: undefined }),
      paths: ['eventType'],
    },
    {
      rule: 'a CloudEvents version other than 1.0',
      payload: edit(cloudEvent, { specversion: '0.3' }),
      paths: ['specversion'],
    },
    { rule: 'an event without data', payload: edit(cloudEvent, { data: undefined }), paths: ['data'] },
    {
      rule: 'a missing digest',
      payload: edit(cloudEvent, { 'data.target.digest': undefined }),
      paths: ['data.target.digest'],
    },
    {
      rule: 'a bad digest',
      payload: edit(eventGridEvent, { 'data.target.digest': 'sha256:213bbc18' }),
      paths: ['data.target.digest'],
      message: /sha256/,
    },
    ...notObjects.map(({ what, payload }) => ({ rule: `${what} event`, payload, paths: [''] })),
    {
      rule: 'several problems, all at once',
      payload: edit(cloudEvent, {
        'data.target.digest': undefined,
        'data.request.host': '',
        'data.timestamp': 'yesterday',
      }),
      paths: ['data.timestamp', 'data.target.digest', 'data.request.host'],
    },
  ];
  itRefuses((event) => parseImagePushedEvent(event, followsAll), refused);
});

/** What parseCommonAlert reads from a fired alert's essentials, besides its target ids. */
function parsedEssentials(alert: { data: { essentials: Record<string, unknown> } }): Record<string, unknown> {
  const e = alert.data.essentials;
  return {
    alertId: e.alertId,
    rule: e.alertRule,
    severity: e.severity,
    monitorCondition: e.monitorCondition,
    monitoringService: e.monitoringService,
    signalType: e.signalType,
    firedAt: e.firedDateTime,
  };
}

describe('Azure Monitor common alert schema', () => {
  const metricAlert = fixture('monitor-alert-metric-static-fired.json') as {
    data: { alertContext: unknown };
  };
  const budgetAlert = fixture('monitor-alert-budget-actual-costalerts-fired.json') as {
    data: { alertContext: unknown };
  };
  const metricFired = {
    alertId:
      '/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/providers/Microsoft.AlertsManagement/alerts/eeeeeeee-4444-5555-6666-ffffffffffff',
    rule: 'test-metricAlertRule',
    severity: 'Sev4',
    monitorCondition: 'Fired',
    monitoringService: 'Platform',
    signalType: 'Metric',
    targetResourceIds: [
      '/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/resourcegroups/test-rg/providers/microsoft.storage/storageaccounts/test-storageaccount',
    ],
    firedAt: '2025-04-15T18:17:12.851Z',
    alertContext: metricAlert.data.alertContext,
  };
  const budgetFired = {
    alertId:
      '/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/providers/Microsoft.CostManagement/alerts/Test_Alert',
    rule: null,
    severity: null,
    monitorCondition: 'Fired',
    monitoringService: 'CostAlerts',
    signalType: null,
    targetResourceIds: [],
    firedAt: '2025-04-15T17:53:32.996Z',
    alertContext: budgetAlert.data.alertContext,
  };

  const accepted: { rule: string; body: unknown; expected: unknown }[] = [
    { rule: 'the published metric alert, target ids lower-cased', body: metricAlert, expected: metricFired },
    { rule: 'the published budget alert, with its nulls', body: budgetAlert, expected: budgetFired },
    {
      rule: 'a resolved alert with its resolution time',
      body: edit(metricAlert, {
        'data.essentials.monitorCondition': 'Resolved',
        'data.essentials.resolvedDateTime': '2025-04-15T18:22:12.851Z',
      }),
      expected: { ...metricFired, monitorCondition: 'Resolved', resolvedAt: '2025-04-15T18:22:12.851Z' },
    },
    ...[
      ['an Application Insights availability test alert', 'monitor-alert-availability-test-fired.json'],
      ['an Application Insights smart detection alert', 'monitor-alert-smart-detector-fired.json'],
      ['a log search alert (Log Alerts V2)', 'monitor-alert-log-v2-fired.json'],
    ].map(([what = '', name = '']) => {
      const body = fixture(name) as {
        data: { essentials: { alertTargetIDs: string[] }; alertContext: unknown };
      };
      return {
        rule: `the published ${what}, naming the resource it watches`,
        body,
        expected: {
          ...parsedEssentials(body),
          targetResourceIds: body.data.essentials.alertTargetIDs.map((id) => id.toLowerCase()),
          alertContext: body.data.alertContext,
        },
      };
    }),
    {
      rule: 'descriptive fields left out altogether, as null',
      body: edit(budgetAlert, {
        'data.essentials.alertRule': undefined,
        'data.essentials.severity': undefined,
        'data.essentials.signalType': undefined,
        'data.essentials.alertTargetIDs': undefined,
      }),
      expected: budgetFired,
    },
  ];
  for (const a of accepted) {
    it(`accepts ${a.rule}`, () => {
      assert.deepEqual(parseCommonAlert(a.body), { ok: true, value: a.expected });
    });
  }

  const refused: Refusal[] = [
    {
      rule: 'a body without a schemaId, with that one problem',
      payload: { data: {} },
      paths: ['schemaId'],
      message: /^expected "azureMonitorCommonAlertSchema"; turn on the common alert schema/,
    },
    {
      rule: 'the older budget schema',
      payload: { schemaId: 'AIP Budget Notification', data: { BudgetName: 'b', SubscriptionId: 's' } },
      paths: ['schemaId'],
    },
    {
      rule: 'a monitor condition other than Fired or Resolved',
      payload: edit(metricAlert, { 'data.essentials.monitorCondition': 'Active' }),
      paths: ['data.essentials.monitorCondition'],
      message: /"Fired"\|"Resolved"/,
    },
    {
      rule: 'a missing alert id',
      payload: edit(metricAlert, { 'data.essentials.alertId': undefined }),
      paths: ['data.essentials.alertId'],
    },
    {
      rule: 'an empty target resource id',
      payload: edit(metricAlert, { 'data.essentials.alertTargetIDs': [''] }),
      paths: ['data.essentials.alertTargetIDs[0]'],
    },
    {
      rule: 'a missing fired time',
      payload: edit(budgetAlert, { 'data.essentials.firedDateTime': undefined }),
      paths: ['data.essentials.firedDateTime'],
    },
    {
      rule: 'a missing alert context',
      payload: edit(budgetAlert, { 'data.alertContext': undefined }),
      paths: ['data.alertContext'],
      message: /^is required$/,
    },
    {
      rule: 'missing essentials',
      payload: edit(metricAlert, { 'data.essentials': undefined }),
      paths: ['data.essentials'],
    },
    ...notObjects.map(({ what, payload }) => ({ rule: `${what} body`, payload, paths: [''] })),
    {
      rule: 'several problems, all at once',
      payload: edit(metricAlert, {
        'data.essentials.alertId': '',
        'data.essentials.monitorCondition': undefined,
        'data.essentials.monitoringService': undefined,
      }),
      paths: [
        'data.essentials.alertId',
        'data.essentials.monitorCondition',
        'data.essentials.monitoringService',
      ],
    },
  ];
  itRefuses(parseCommonAlert, refused);
});

describe('problem responses', () => {
  it('answers application/problem+json with the RFC 9457 members and the extensions given', async () => {
    const errors = [{ path: 'target.digest', message: 'is required' }];
    const response = new HttpResponse(problemResponse(400, 'Bad Request', 'See errors.', { errors }));
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(await response.json(), {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'See errors.',
      errors,
    });
  });

  it('leaves detail out when there is none', async () => {
    const response = new HttpResponse(problemResponse(401, 'Unauthorized'));
    assert.deepEqual(await response.json(), { type: 'about:blank', title: 'Unauthorized', status: 401 });
  });
});
