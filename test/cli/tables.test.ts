import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnexpectedAnswer } from '../../src/cli/answerShape';
import { byteSize, formatBackups } from '../../src/cli/backupsTable';
import { formatReleases } from '../../src/cli/releasesTable';
import { formatSecrets } from '../../src/cli/secretsTable';
import { formatTargets } from '../../src/cli/targetsTable';

const image = (tag: string): string => `acr.io/contoso/web:${tag}`;

describe('formatTargets', () => {
  it('shows each target’s images, freezes and release, then a note per freeze and per read that failed', () => {
    const text = formatTargets({
      targets: [
        {
          name: 'web',
          environment: 'production',
          strategy: 'canary',
          production: image('1.0.0'),
          slot: image('2.0.0'),
          knownGood: { latest: image('1.0.0') },
          freezes: [],
          release: { id: 'release:web:1', phase: 'canary', trafficPercent: 50 },
        },
        {
          name: 'api',
          environment: 'staging',
          strategy: 'blueGreen',
          slot: null,
          freezes: [{ holds: 'the staging environment', source: 'budget', reason: 'budget spent' }],
          release: null,
          unknown: {
            production: 'read the image of api failed (403)',
            knownGood: 'read the tags failed (403)',
          },
        },
      ],
    });
    assert.equal(
      text,
      [
        'TARGET  ENVIRONMENT  STRATEGY   PRODUCTION         SLOT               KNOWN GOOD         FROZEN  RELEASE        PHASE',
        'web     production   canary     contoso/web:1.0.0  contoso/web:2.0.0  contoso/web:1.0.0  no      release:web:1  canary 50%',
        'api     staging      blueGreen  unknown            (none)             unknown            budget  -              -',
        '',
        'api: frozen (budget, the staging environment): budget spent',
        'api: production unknown: read the image of api failed (403)',
        'api: knownGood unknown: read the tags failed (403)',
        '',
      ].join('\n'),
    );
  });

  it('says so when the targets file lists none', () => {
    assert.equal(formatTargets({ targets: [] }), 'No targets: the targets file lists none.\n');
  });

  it('refuses an answer of another shape, pointing to --json', () => {
    assert.throws(
      () => formatTargets({ targets: [{ name: 'web' }] }),
      (err) =>
        err instanceof UnexpectedAnswer &&
        /at "targets\.0\.environment".*--json prints it as it came/.test(err.message),
    );
  });
});

describe('formatReleases', () => {
  it('shows each release’s kind, image, phase and traffic, outcome and why; the runtime state before a status', () => {
    const text = formatReleases({
      target: 'web',
      releases: [
        { id: 'r2', runtimeStatus: 'Pending', createdTime: '2030-01-01T00:02:00Z' },
        {
          id: 'r1',
          runtimeStatus: 'Completed',
          createdTime: '2030-01-01T00:01:00Z',
          kind: 'push',
          image: image('2.0.0'),
          phase: 'done',
          trafficPercent: 0,
          outcome: 'rolledBack',
          reason: 'window 1 failed',
        },
      ],
    });
    assert.equal(
      text,
      [
        'RELEASE  KIND  IMAGE              STARTED               PHASE    OUTCOME     REASON',
        'r2       -     -                  2030-01-01T00:02:00Z  Pending  -',
        'r1       push  contoso/web:2.0.0  2030-01-01T00:01:00Z  done 0%  rolledBack  window 1 failed',
        '',
      ].join('\n'),
    );
  });
});

describe('formatBackups', () => {
  it('shows each backup’s state, whether it can be restored, its size and release', () => {
    const backup = {
      name: 'web/2030-01-01.dump',
      database: 'shop',
      takenAt: '2030-01-01T00:00:00Z',
      status: 'verified',
      usable: true,
      sizeBytes: 5_242_880,
      releaseId: null,
      reason: null,
    };
    const failed = {
      ...backup,
      name: 'web/2.dump',
      status: 'verificationFailed',
      usable: false,
      sizeBytes: null,
      releaseId: 'release:web:1',
      reason: 'sha256 differs',
    };
    assert.equal(
      formatBackups({ target: 'web', backups: [backup, failed] }),
      [
        'BACKUP               DATABASE  TAKEN                 STATUS              USABLE  SIZE     RELEASE        REASON',
        'web/2030-01-01.dump  shop      2030-01-01T00:00:00Z  verified            yes     5.0 MiB  (on demand)',
        'web/2.dump           shop      2030-01-01T00:00:00Z  verificationFailed  no      -        release:web:1  sha256 differs',
        '',
      ].join('\n'),
    );
  });

  const sizes: [number, string][] = [
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [1024 ** 3 * 2.25, '2.3 GiB'],
  ];
  for (const [bytes, shown] of sizes)
    it(`shows ${bytes} bytes as ${shown}`, () => assert.equal(byteSize(bytes), shown));
});

describe('formatSecrets', () => {
  it('shows each secret’s version, age, expiry and next rotation, and a note when Key Vault could not be read', () => {
    const text = formatSecrets({
      secrets: [
        {
          name: 'db',
          kind: 'postgresRole',
          consumers: ['web', 'api'],
          current: { version: 'v2', ageDays: 12, expiresOn: null },
          nextRotation: '2030-03-01T00:00:00.000Z',
          lastRotation: {
            runtimeStatus: 'Completed',
            startedAt: '2030-01-01T00:00:00.000Z',
            outcome: 'succeeded',
          },
        },
        {
          name: 'partner',
          kind: 'manual',
          consumers: ['web'],
          current: null,
          problem: 'Key Vault could not be read for this secret; try again.',
          lastRotation: null,
        },
      ],
    });
    assert.equal(
      text,
      [
        'SECRET   KIND          CONSUMERS  VERSION  AGE   EXPIRES  NEXT ROTATION             LAST ROTATION',
        'db       postgresRole  web, api   v2       12 d  -        2030-03-01T00:00:00.000Z  2030-01-01T00:00:00.000Z succeeded',
        'partner  manual        web        unknown  -     -        unknown                   -',
        '',
        'partner: Key Vault could not be read for this secret; try again.',
        '',
      ].join('\n'),
    );
  });
});
