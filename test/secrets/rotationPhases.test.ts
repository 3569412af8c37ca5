import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { RotationReplay, replaySecret, roleSecret } from '../support/rotationReplay';

let replay: RotationReplay;
afterEach(() => replay.stop());

describe('a two-role PostgreSQL rotation replayed under virtual time', () => {
  it('gives the role not in use a new password, switches every consumer to it and proves each on it', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    const status = await replay.rotate(roleSecret());
    assert.equal(status.outcome, 'rotated', status.reason);
    assert.equal(status.role, 'app_green');
    assert.deepEqual(replay.fake.passwordsChanged, ['app_green'], 'the role in use was never touched');
    assert.equal(replay.fake.sessionsOn('app_green'), 2);
    assert.equal(replay.fake.sessionsOn('app_blue'), 0);
    assert.deepEqual(
      status.consumers.map((c) => [c.target, c.verified]),
      [
        ['web', true],
        ['api', true],
      ],
    );
    assert.deepEqual(replay.fake.notices, [], 'a rotation that worked bothers no one');
    assert.deepEqual(
      replay.fake.audit.map((e) => [e.action, e.outcome, e.by, e.subject.name]),
      [
        ['rotation.started', 'started', { kind: 'person', name: 'ana' }, 'appdb-login'],
        ['rotation.ended', 'rotated', { kind: 'person', name: 'ana' }, 'appdb-login'],
      ],
    );
  });

  it('switches back to the first role on the next rotation', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    await replay.rotate(roleSecret());
    const second = await replay.rotate(roleSecret());
    assert.equal(second.outcome, 'rotated', second.reason);
    assert.deepEqual(replay.fake.passwordsChanged, ['app_green', 'app_blue']);
    assert.equal(replay.fake.sessionsOn('app_blue'), 2);
  });

  it('waits for a consumer still on the role it must change, switches it, and only then changes the password', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    replay.fake.lagBehind('api', 'app_green');
    const status = await replay.rotate(roleSecret());
    assert.equal(status.outcome, 'rotated', status.reason);
    assert.deepEqual(replay.fake.changes, ['switch api', 'password app_green', 'switch web', 'switch api']);
    assert.equal(replay.fake.sessionsOn('app_green'), 2);
  });

  it('never changes a role some session still uses: after waiting, it stops with nothing changed, and says so', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    replay.fake.strangers.set('app_green', 1);
    const versions = replay.fake.versions.length;
    const status = await replay.rotate(roleSecret());
    assert.equal(status.outcome, 'refused', status.reason);
    assert.match(status.reason ?? '', /1 session\(s\) still use role app_green after 15 min/);
    assert.deepEqual(replay.fake.passwordsChanged, []);
    assert.equal(replay.fake.versions.length, versions, 'no version was written');
    assert.deepEqual(
      replay.fake.notices.map((n) => n.text),
      [
        'secret appdb-login was not rotated, to keep a consumer working: 1 session(s) still use role app_green after 15 min, so its password was not changed.',
        'secret appdb-login was not rotated, to keep a consumer working: 1 session(s) still use role app_green after 15 min, so its password was not changed.',
      ],
      'the people of both consumers are told',
    );
  });

  it('leaves the work to an earlier rotation of the secret still running: nothing changed, no one bothered', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    replay.fake.earlierRunning.push('rotation:appdb-login:event-1');
    const versions = replay.fake.versions.length;
    const status = await replay.rotate(roleSecret());
    assert.equal(status.outcome, 'refused', status.reason);
    assert.equal(status.deferredTo, 'rotation:appdb-login:event-1');
    assert.match(
      status.reason ?? '',
      /^rotation:appdb-login:event-1 of appdb-login started first and still runs/,
    );
    assert.deepEqual(
      replay.fake.calls.filter((c) => c !== 'recordAudit'),
      ['earlierRotations'],
      'it looked at nothing else and changed nothing',
    );
    assert.equal(replay.fake.versions.length, versions);
    assert.deepEqual(replay.fake.notices, []);
    assert.deepEqual(
      replay.fake.audit.map((e) => [e.action, e.outcome]),
      [
        ['rotation.started', 'started'],
        ['rotation.ended', 'refused'],
      ],
    );
  });

  it('puts the previous value back when a consumer cannot use the new one, and the old role still works', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    replay.fake.cannotUseNew.add('web');
    const status = await replay.rotate(roleSecret());
    assert.equal(status.outcome, 'restored', status.reason);
    assert.match(status.reason ?? '', /web: \/health answered 500/);
    const current = replay.fake.current();
    assert.equal(current?.restores, 'v1', 'the current version holds the first value again');
    assert.equal(replay.fake.sessionsOn('app_blue'), 2, 'both consumers are back on the role in use');
    assert.deepEqual(
      status.consumers.map((c) => c.verified),
      [true, true],
    );
    assert.equal(replay.fake.notices.length, 2);
    assert.equal(replay.fake.notices[0]?.urgent, false);
  });

  it('retries a refused write and carries on', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    replay.fake.failNext('writeSecretValue', 2);
    const status = await replay.rotate(roleSecret());
    assert.equal(status.outcome, 'rotated', status.reason);
    assert.equal(replay.fake.calls.filter((c) => c === 'writeSecretValue').length, 3);
  });

  it('puts the previous value back when every try to write left a version but never said so', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    replay.fake.failAfterActing('writeSecretValue', 4);
    const status = await replay.rotate(roleSecret());
    assert.equal(status.outcome, 'restored', status.reason);
    assert.match(status.reason ?? '', /the rotation could not be done/);
    assert.equal(replay.fake.current()?.restores, 'v1', 'the first value is current again');
    assert.equal(replay.fake.sessionsOn('app_blue'), 2);
  });

  it('puts the previous value back when the consumers cannot be switched at all', async () => {
    replay = new RotationReplay({ role: 'app_blue' });
    replay.fake.failNext('switchConsumer', 4);
    const status = await replay.rotate(roleSecret());
    assert.equal(status.outcome, 'restored', status.reason);
    assert.match(status.reason ?? '', /the consumers could not be switched/);
    assert.equal(replay.fake.sessionsOn('app_blue'), 2);
  });
});

describe('a generated secret replayed under virtual time', () => {
  it('is written and proven on every consumer, with no database step', async () => {
    replay = new RotationReplay();
    const status = await replay.rotate(
      replaySecret({
        name: 'signing-key',
        kind: 'generated',
        keyVaultSecretUri: 'https://kv.vault.azure.net/secrets/signing-key',
      }),
    );
    assert.equal(status.outcome, 'rotated', status.reason);
    assert.equal(status.role, undefined);
    assert.ok(!replay.fake.calls.includes('roleSessions'));
    assert.deepEqual(replay.fake.passwordsChanged, []);
  });
});
