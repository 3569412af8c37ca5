import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LocalHost } from '../../dev/host/host';
import type { InstanceState } from '../../dev/host/durable/instanceState';
import { callerOf } from '../../src/functions/caller';
import { fixture } from '../support/fixtures';
import { httpsGetter } from '../support/https';
import {
  deliverAcrPush,
  rigRegistry,
  rigSubscription,
  rigTarget,
  startReleaseRig,
} from '../support/releaseRig';
import type { ReleaseRig } from '../support/releaseRig';
import { call, waitFor } from '../support/testHost';

/** The Application Insights component web's alerts come from, as the targets file names it. */
const webComponent = `/subscriptions/${rigSubscription}/resourceGroups/rg/providers/Microsoft.Insights/components/web-ai`;

interface ReleaseView {
  id: string;
  outcome?: string;
  reason?: string;
  image: string;
}

interface PushInput {
  digest?: string;
  requestedBy?: { by: string; reason: string };
}

describe('every push judged right, and a person’s new attempt, end to end in the sandbox', () => {
  const http = httpsGetter();
  let rig: ReleaseRig;
  let host: LocalHost;
  let functionKey: string;
  /** The push of web 2.0.0, which an alert rolls back and a person then releases again. */
  let rolledBack: { digest: string; releaseId: string };

  before(async () => {
    // One sandbox minute is two real seconds, for the sandbox's metrics and the host's durable timers alike.
    rig = await startReleaseRig({
      secondsPerMinute: 2,
      sites: ['web', 'legacy'].map((name) => ({ name, image: `${rigRegistry}/contoso/${name}:1.0.0` })),
      frozenEnvironments: 'frozen-env',
      targets: [
        rigTarget('web', {
          gates: { minRequests: 15, maxAverageResponseMs: 250, metricsSettleSeconds: 45 },
          bakeMinutes: 1,
          alertResources: [webComponent],
        }),
        rigTarget('legacy', { environment: 'frozen-env' }),
      ],
    });
    if (!rig.host) throw new Error('the rig runs the host in this process');
    host = rig.host;
    functionKey = rig.functionKey;
    void rig.loadOn('web', 200);
  });

  after(async () => {
    http.close();
    await rig.stop();
  });

  async function versionInProduction(site: string): Promise<string | undefined> {
    const res = await http.get(`https://${rig.siteNamed(site).hostName()}/?x-ms-routing-name=self`);
    return res.status === 200 ? (JSON.parse(res.body) as { version: string }).version : undefined;
  }

  function releases(matches: (release: InstanceState) => boolean): InstanceState[] {
    return host.engine.list().filter((s) => s.name === 'release' && matches(s));
  }

  /** Waits for the release `id` to reach `phase`, or to finish when no phase is given. */
  function reached(id: string, phase?: string): Promise<InstanceState> {
    return waitFor(
      `${id} to ${phase === undefined ? 'finish' : `reach ${phase}`}`,
      () => {
        const release = host.engine.get(id);
        const ready =
          phase === undefined
            ? release?.runtimeStatus === 'Completed' || release?.runtimeStatus === 'Failed'
            : (release?.customStatus as { phase?: string } | null | undefined)?.phase === phase;
        return Promise.resolve(ready ? release : undefined);
      },
      90_000,
    );
  }

  async function finished(id: string): Promise<ReleaseView> {
    await reached(id);
    const view = await call(host.url, `/api/releases/${encodeURIComponent(id)}`, { key: functionKey });
    assert.equal(view.status, 200);
    return view.body as ReleaseView;
  }

  /** Pushes `reference` to the sandbox registry, whose webhook tells Shepherd; the id of the release it started. */
  async function pushed(reference: string): Promise<{ digest: string; releaseId: string }> {
    const push = await rig.sandbox.registry.push(reference);
    assert.deepEqual(
      push.deliveries.map((d) => d.ok),
      [true],
    );
    const [release] = releases((r) => (r.input as PushInput).digest === push.digest);
    assert.ok(release, `the push of ${reference} started a release`);
    return { digest: push.digest, releaseId: release.instanceId };
  }

  function askToRelease(target: string, body: unknown) {
    return call(host.url, `/api/targets/${target}/releases`, { method: 'POST', key: functionKey, body });
  }

  /** An ACR webhook delivery of a push, as ACR sends it. */
  function webhookPush(target: { repository: string; tag: string; digest: string; mediaType: string }) {
    return deliverAcrPush(rig, target);
  }

  it('stops a canary when the published availability test alert fires on the Application Insights component the target lists', async () => {
    rolledBack = await pushed('contoso/web:2.0.0');
    await reached(rolledBack.releaseId, 'canary');
    const alert = structuredClone(fixture('monitor-alert-availability-test-fired.json')) as {
      data: { essentials: { alertTargetIDs: string[] } };
    };
    // Azure sends resource ids in its own case: here all lower-case, unlike the targets file.
    alert.data.essentials.alertTargetIDs = [webComponent.toLowerCase()];
    const res = await call(host.url, `/api/hooks/azure-monitor?secret=${rig.alertSecret}`, {
      method: 'POST',
      body: alert,
    });
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { aborted: [rolledBack.releaseId], frozen: ['web'] });
    const release = await finished(rolledBack.releaseId);
    assert.equal(release.outcome, 'rolledBack', release.reason);
    assert.match(release.reason ?? '', /alert test-availabilityTest-test-applicationInsights fired/);
    assert.equal(await versionInProduction('web'), '1.0.0');
    const resolved = structuredClone(alert) as {
      data: { essentials: Record<string, unknown> };
    };
    resolved.data.essentials.monitorCondition = 'Resolved';
    resolved.data.essentials.resolvedDateTime = new Date().toISOString();
    const lifted = await call(host.url, `/api/hooks/azure-monitor?secret=${rig.alertSecret}`, {
      method: 'POST',
      body: resolved,
    });
    assert.deepEqual(lifted.body, { lifted: ['web'] }, 'the resolved alert lifts the freeze it set');
  });

  it('releases the rolled-back digest again through the endpoint, recording who asked and why', async () => {
    const reason = 'the availability test was a false alarm';
    const res = await askToRelease('web', { image: '2.0.0', reason });
    assert.equal(res.status, 202, res.text);
    const { releaseId, image } = res.body as { releaseId: string; image: string };
    assert.equal(res.headers.get('location'), `/api/releases/${encodeURIComponent(releaseId)}`);
    assert.ok(releaseId.startsWith('release:web:'), releaseId);
    assert.notEqual(releaseId, rolledBack.releaseId);
    assert.equal(image, `${rigRegistry}/contoso/web:2.0.0@${rolledBack.digest}`);
    const input = host.engine.get(releaseId)?.input as PushInput;
    assert.equal(input.digest, rolledBack.digest);
    assert.deepEqual(input.requestedBy, { by: callerOf(new Headers(), true), reason });

    const release = await finished(releaseId);
    assert.equal(release.outcome, 'succeeded', release.reason);
    assert.equal(await versionInProduction('web'), '2.0.0');
    assert.equal(
      host.engine.get(rolledBack.releaseId)?.runtimeStatus,
      'Completed',
      'the first attempt is kept',
    );
  });

  it('still answers a duplicate delivery of the original push as a duplicate, starting nothing', async () => {
    const before = host.engine.list().length;
    const again = await webhookPush({
      repository: 'contoso/web',
      tag: '2.0.0',
      digest: rolledBack.digest,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    assert.equal(again.status, 202);
    assert.deepEqual(again.body, {
      releases: [{ target: 'web', outcome: 'duplicate', releaseId: rolledBack.releaseId }],
    });
    assert.equal(host.engine.list().length, before);
  });

  it('never releases a cosign signature or an OCI artifact pushed beside a running release, which goes on', async () => {
    const image = await pushed('contoso/web:3.0.0');
    await reached(image.releaseId, 'canary');
    const signatureTag = `${image.digest.replace(':', '-')}.sig`;
    const signature = await rig.sandbox.registry.push(`contoso/web:${signatureTag}`);
    assert.deepEqual(
      signature.deliveries.map((d) => d.ok),
      [true],
    );
    const artifact = await webhookPush({
      repository: 'contoso/web',
      tag: '3.0.0-sbom',
      digest: `sha256:${'5'.repeat(64)}`,
      mediaType: 'application/vnd.oci.artifact.manifest.v1+json',
    });
    assert.equal(artifact.status, 202);
    assert.deepEqual(artifact.body, {
      releases: [
        {
          target: 'web',
          outcome: 'ignored',
          reason: 'application/vnd.oci.artifact.manifest.v1+json is not a container image',
        },
      ],
    });
    assert.deepEqual(
      releases((r) =>
        [signature.digest, `sha256:${'5'.repeat(64)}`].includes((r.input as PushInput).digest ?? ''),
      ),
      [],
    );

    const release = await finished(image.releaseId);
    assert.equal(release.outcome, 'succeeded', release.reason);
    assert.equal(await versionInProduction('web'), '3.0.0');

    const asked = await askToRelease('web', { image: signatureTag, reason: 'try the signature' });
    assert.equal(asked.status, 422);
    assert.equal(asked.headers.get('content-type'), 'application/problem+json');
    assert.match(
      (asked.body as { detail: string }).detail,
      /names a signature, attestation or other attachment/,
    );
  });

  it('answers 404 for a tag or digest the target’s repository does not hold, 400 with every wrong field, starting nothing', async () => {
    const before = host.engine.list().length;
    const unknownTag = await askToRelease('web', { image: '9.9.9', reason: 'x' });
    assert.equal(unknownTag.status, 404);
    assert.equal(unknownTag.headers.get('content-type'), 'application/problem+json');
    assert.match(
      (unknownTag.body as { detail: string }).detail,
      /^sandboxregistry\.azurecr\.io\/contoso\/web has no tag 9\.9\.9\.$/,
    );
    const unknownDigest = await askToRelease('web', { image: `sha256:${'0'.repeat(64)}`, reason: 'x' });
    assert.equal(unknownDigest.status, 404);
    // legacy's repository holds 1.0.0 only: web's tags are not its to release.
    const otherRepository = await askToRelease('legacy', { image: '3.0.0', reason: 'x' });
    assert.equal(otherRepository.status, 404);
    const bad = await askToRelease('web', { image: 'contoso/api:1.0.0' });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort(), [
      'image',
      'reason',
    ]);
    assert.equal((await askToRelease('nope', { image: '2.0.0', reason: 'x' })).status, 404);
    const noKey = await call(host.url, '/api/targets/web/releases', {
      method: 'POST',
      body: { image: '2.0.0', reason: 'x' },
    });
    assert.equal(noKey.status, 401);
    assert.equal(host.engine.list().length, before);
  });

  it('records a person’s release to a frozen environment as refused, as it does a push', async () => {
    const push = await pushed('contoso/legacy:2.0.0');
    assert.equal((await finished(push.releaseId)).outcome, 'refused');
    const res = await askToRelease('legacy', { image: push.digest, reason: 'it has to go out' });
    assert.equal(res.status, 202, res.text);
    const release = await finished((res.body as { releaseId: string }).releaseId);
    assert.equal(release.outcome, 'refused');
    assert.match(release.reason ?? '', /frozen-env environment are frozen/);
    assert.equal(rig.siteNamed('legacy').slot('staging')?.config.siteConfig.linuxFxVersion, '');
  });

  it('takes an Event Grid push in the older short event type, ImagePushed, and acknowledges one for a repository no target follows', async () => {
    const digest = `sha256:${randomUUID().replaceAll('-', '')}${'e'.repeat(32)}`;
    const event = (repository: string, data: Record<string, unknown>) => ({
      id: randomUUID(),
      topic: `/subscriptions/${rigSubscription}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/sandboxregistry`,
      subject: `${repository}:2.1.0`,
      eventType: 'ImagePushed',
      eventTime: new Date().toISOString(),
      dataVersion: '1.0',
      metadataVersion: '1',
      data,
    });
    const res = await call(host.url, '/runtime/webhooks/eventgrid?functionName=onImagePushed', {
      method: 'POST',
      key: host.keys.system.eventgrid_extension ?? host.keys.master,
      keyIn: 'query',
      headers: { 'aeg-event-type': 'Notification' },
      body: [
        event('contoso/legacy', {
          id: randomUUID(),
          timestamp: new Date().toISOString(),
          action: 'push',
          target: {
            mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
            digest,
            repository: 'contoso/legacy',
            tag: '2.1.0',
          },
          request: { id: randomUUID(), host: rigRegistry },
        }),
        event('contoso/other', { target: { repository: 'contoso/other', size: 'unknown' } }),
      ],
    });
    assert.equal(res.status, 202, res.text);
    const [release] = releases((r) => (r.input as PushInput).digest === digest);
    assert.ok(release, 'the short event type started a release');
    assert.equal((await finished(release.instanceId)).outcome, 'refused', 'legacy is frozen');
  });

  it('acknowledges pushes for repositories no target follows, whatever their shape, and actions it does not know', async () => {
    const before = host.engine.list().length;
    const elsewhere = await call(host.url, '/api/hooks/acr', {
      method: 'POST',
      headers: { 'x-shepherd-webhook-secret': rig.webhookSecret },
      body: {
        action: 'push',
        target: { repository: 'contoso/other', digest: 'sha384:x' },
        request: { host: rigRegistry },
      },
    });
    assert.equal(elsewhere.status, 202);
    assert.deepEqual(elsewhere.body, { ignored: `no target follows ${rigRegistry}/contoso/other` });
    const newAction = await call(host.url, '/api/hooks/acr', {
      method: 'POST',
      headers: { 'x-shepherd-webhook-secret': rig.webhookSecret },
      body: { action: 'artifact_sign', target: { repository: 'contoso/web' } },
    });
    assert.equal(newAction.status, 202);
    assert.equal(host.engine.list().length, before);
  });
});
