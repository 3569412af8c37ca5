import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../dev/host/clock';
import { loadConfig } from '../../src/config';
import { rotation } from '../../src/orchestrations/rotation/rotation';
import { rotationOrchestrator } from '../../src/functionNames';
import type { RotationInput, RotationStatus, SecretConsumer } from '../../src/orchestrations/rotationModel';
import type { RotatedSecret } from '../../src/secretSettings';
import { DurableReplay, registerForReplay } from './durableReplay';
import { FakeRotationWorld } from './fakeRotationWorld';
import { repoRoot, tempDir } from './testHost';

/** Every activity a rotation calls; the replay answers each from a `FakeRotationWorld`. */
const rotationActivities = [
  'earlierRotations',
  'inspectSecret',
  'roleSessions',
  'writeSecretValue',
  'restoreSecretVersion',
  'switchConsumer',
  'lookAtConsumer',
  'notifyPeople',
  'recordAudit',
];

/** The consumers of the replayed secret: two apps, each with production and a staging slot. */
export const replayConsumers: SecretConsumer[] = ['web', 'api'].map((target) => ({
  target,
  site: { subscriptionId: '00000000-0000-0000-0000-00000000aaaa', resourceGroup: 'rg', name: target },
  slots: ['production', 'staging'],
  healthPath: '/health',
}));

/** A managed secret as Shepherd reads it from the targets file, used by `replayConsumers`. */
export function replaySecret(secret: Record<string, unknown>): RotatedSecret {
  const file = join(tempDir('replay-secrets'), 'targets.json');
  const targets = replayConsumers.map((c) => ({
    name: c.target,
    site: c.site,
    registry: { loginServer: 'reg.azurecr.io', repository: `contoso/${c.target}` },
  }));
  writeFileSync(
    file,
    JSON.stringify({
      targets,
      secrets: [{ consumers: replayConsumers.map((c) => c.target), ...secret }],
    }),
  );
  const config = loadConfig(
    {
      SHEPHERD_TASK_HUB: 'Replay',
      SHEPHERD_TARGETS_FILE: file,
      SHEPHERD_ACR_WEBHOOK_SECRET: 'replay-webhook-secret',
      SHEPHERD_ALERT_WEBHOOK_SECRET: 'replay-alert-secret!',
      SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
    },
    repoRoot,
  );
  const [parsed] = config.secrets;
  if (parsed === undefined || parsed.kind === 'manual') throw new Error('The replay secret is not rotated.');
  return parsed;
}

/** A two-role PostgreSQL secret of the replay's consumers. */
export const roleSecret = (): RotatedSecret =>
  replaySecret({
    name: 'appdb-login',
    kind: 'postgresRole',
    keyVaultSecretUri: 'https://kv.vault.azure.net/secrets/appdb-login',
    postgres: {
      host: 'db.example',
      database: 'appdb',
      roles: ['app_blue', 'app_green'],
      admin: { user: 'shepherd_admin', credential: { entra: true } },
    },
  });

/** The real `rotation` orchestrator replayed on a virtual clock against a `FakeRotationWorld`. */
export class RotationReplay extends DurableReplay<FakeRotationWorld> {
  #started = 0;

  constructor(start: { role?: string } = {}) {
    const clock = new VirtualClock(Date.parse('2026-03-02T10:00:30Z'));
    super(
      registerForReplay(rotationOrchestrator, rotation, rotationActivities),
      new FakeRotationWorld(() => clock.now(), replayConsumers, start),
      clock,
    );
  }

  /** Rotates `secret` as a person asked, to the end; returns the rotation's output. */
  async rotate(secret: RotatedSecret): Promise<RotationStatus> {
    const rotationId = `rotation:${secret.name}:${++this.#started}`;
    const input: RotationInput = {
      rotationId,
      secret,
      consumers: replayConsumers,
      requestedBy: { via: 'person', by: 'ana', reason: 'quarterly rotation' },
    };
    await this.startInstance(rotationOrchestrator, rotationId, input);
    return (await this.finish(rotationId)) as RotationStatus;
  }
}
