import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, metricsEndpointFor } from '../../src/config';
import { cleanupKinds } from '../../src/domain/cleanupPlan';
import { isOnThisMachine } from '../../src/sandboxEndpoints';
import { cleanupScheduleOf } from '../../src/schedules';
import { repoRoot, tempDir } from '../support/testHost';

const goodTarget = {
  name: 'web',
  site: {
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    resourceGroup: 'rg-web',
    name: 'contoso-web',
  },
  registry: { loginServer: 'contoso.azurecr.io', repository: 'contoso/web' },
};

/** An app folder with a package.json and the given targets file. */
function appWith(targets: unknown): string {
  const root = tempDir('config');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '9.8.7' }));
  writeFileSync(join(root, 'targets.json'), typeof targets === 'string' ? targets : JSON.stringify(targets));
  return root;
}

/** The settings every run needs besides the one a test is about. */
const baseEnv = {
  SHEPHERD_TASK_HUB: 'Hub1',
  SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
  SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
  SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

describe('configuration', () => {
  it('reads settings and targets, applying defaults', () => {
    const root = appWith({ targets: [goodTarget] });
    const config = loadConfig({ ...baseEnv, SHEPHERD_TASK_HUB: 'ShepherdTest' }, root);
    assert.equal(config.version, '9.8.7');
    assert.equal(config.taskHub, 'ShepherdTest');
    assert.equal(config.targetsFile, join(root, 'targets.json'));
    const target = config.targets[0];
    assert.ok(target);
    assert.equal(target.strategy, 'canary');
    assert.deepEqual(target.canary, { steps: [10, 50, 100], intervalMinutes: 5 });
    assert.deepEqual(target.registry.releaseTags, { glob: '*' });
    assert.equal(target.gates.failureLimit, 2);
    assert.equal(target.gates.metricsSettleSeconds, 120);
    assert.deepEqual(target.smokeChecks, [{ path: '/', expectStatus: 200 }]);
    assert.equal(target.approval.required, false);
    assert.equal(target.environment, 'production');
    assert.equal(target.site.slot, 'staging');
    assert.deepEqual(target.alertResources, []);
    assert.equal(config.registryEndpoint, undefined, 'each registry is reached at its own host');
  });

  it('gives each cleanup the schedule its timer was registered with, whether set or by default', () => {
    const root = appWith({ targets: [goodTarget] });
    const moved = { ...baseEnv, SHEPHERD_BACKUP_CLEANUP_SCHEDULE: ' 0 45 1 * * * ' };
    for (const env of [baseEnv, moved]) {
      const config = loadConfig(env, root);
      for (const kind of cleanupKinds)
        assert.equal(cleanupScheduleOf(kind, env), config.cleanup.schedules[kind]);
    }
    assert.equal(cleanupScheduleOf('backups', moved), '0 45 1 * * *');
    assert.equal(cleanupScheduleOf('backups', baseEnv), '0 30 2 * * *');
  });

  it('reads a target that promotes to another of the same repository, and none by default', () => {
    const prod = { ...goodTarget, name: 'web-prod', site: { ...goodTarget.site, name: 'contoso-web-prod' } };
    const root = appWith({ targets: [prod, { ...goodTarget, promotesTo: 'web-prod' }] });
    const config = loadConfig(baseEnv, root);
    assert.deepEqual(
      config.targets.map((t) => [t.name, t.promotesTo]),
      [
        ['web-prod', undefined],
        ['web', 'web-prod'],
      ],
    );
  });

  it('reads the resources whose alerts count as a target’s own, and where registries are reached', () => {
    const alertResources = [
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web/providers/microsoft.insights/components/web-ai',
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/RG-Shared/providers/Microsoft.OperationalInsights/workspaces/shared-logs',
    ];
    const root = appWith({ targets: [{ ...goodTarget, alertResources }] });
    const config = loadConfig({ ...baseEnv, SHEPHERD_REGISTRY_ENDPOINT: 'https://localhost:8443' }, root);
    assert.deepEqual(config.targets[0]?.alertResources, alertResources);
    assert.equal(config.registryEndpoint, 'https://localhost:8443');
  });

  it('loads the sandbox targets that npm start uses', () => {
    const config = loadConfig({ ...baseEnv, SHEPHERD_TARGETS_FILE: 'dev/targets.sandbox.json' }, repoRoot);
    assert.deepEqual(
      config.targets.map((t) => t.name),
      ['contoso-web'],
    );
  });

  const rejected: { rule: string; env?: Record<string, string>; targets?: unknown; problem: RegExp }[] = [
    { rule: 'a missing task hub', env: {}, problem: /^SHEPHERD_TASK_HUB: is not set$/ },
    {
      rule: 'a task hub Azure Storage would refuse',
      env: { ...baseEnv, SHEPHERD_TASK_HUB: 'my-hub' },
      problem: /^SHEPHERD_TASK_HUB: expected 3 to 45 letters/,
    },
    {
      rule: 'a missing targets file',
      env: { ...baseEnv, SHEPHERD_TARGETS_FILE: 'nope.json' },
      problem: /SHEPHERD_TARGETS_FILE \(.*nope\.json\): the file does not exist/,
    },
    {
      rule: 'a targets file that is not JSON',
      targets: '{ targets: ',
      problem: /SHEPHERD_TARGETS_FILE \(.*\): .*JSON/,
    },
    {
      rule: 'a bad target name',
      targets: { targets: [{ ...goodTarget, name: 'Web App' }] },
      problem: /targets\.json: targets\[0\]\.name: expected lowercase letters/,
    },
    {
      rule: 'a subscription id that is not a GUID',
      targets: { targets: [{ ...goodTarget, site: { ...goodTarget.site, subscriptionId: 'abc' } }] },
      problem: /targets\[0\]\.site\.subscriptionId: expected a subscription id \(a GUID\)/,
    },
    {
      rule: 'an unknown field, likely a typo',
      targets: { targets: [{ ...goodTarget, stratgy: 'canary' }] },
      problem: /targets\[0\]: Unrecognized key: "stratgy"/,
    },
    {
      rule: 'two targets with one name',
      targets: { targets: [goodTarget, { ...goodTarget, site: { ...goodTarget.site, slot: 'other' } }] },
      problem: /targets\[1\]\.name: "web" is used by an earlier target/,
    },
    {
      rule: 'two targets on one site and slot',
      targets: { targets: [goodTarget, { ...goodTarget, name: 'web-2' }] },
      problem: /targets\[1\]\.site: this site and slot belong to an earlier target/,
    },
    {
      rule: 'canary steps that do not rise',
      targets: { targets: [{ ...goodTarget, canary: { steps: [50, 10, 100] } }] },
      problem: /targets\[0\]\.canary\.steps: expected steps that rise/,
    },
    {
      rule: 'a release tag range that is not semver',
      targets: {
        targets: [{ ...goodTarget, registry: { ...goodTarget.registry, releaseTags: { semver: 'newest' } } }],
      },
      problem: /targets\[0\]\.registry\.releaseTags/,
    },
    {
      rule: 'a smoke check path without its leading slash',
      targets: { targets: [{ ...goodTarget, smokeChecks: [{ path: 'health' }] }] },
      problem: /targets\[0\]\.smokeChecks\[0\]\.path: expected a path starting with \//,
    },
    {
      rule: 'a metrics endpoint of one region, which cannot serve sites of another',
      env: { ...baseEnv, SHEPHERD_METRICS_ENDPOINT: 'https://westeurope.metrics.monitor.azure.com' },
      problem: /^SHEPHERD_METRICS_ENDPOINT: expected a URL naming \{region\}/,
    },
    {
      rule: 'a sandbox switch that is neither true nor false',
      env: { ...baseEnv, SHEPHERD_SANDBOX: 'maybe' },
      problem: /^SHEPHERD_SANDBOX: expected true or false$/,
    },
    {
      rule: 'an alert resource that is not an ARM resource id',
      targets: {
        targets: [
          {
            ...goodTarget,
            alertResources: [
              '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web/providers/microsoft.insights/components/web-ai',
              'web-ai',
            ],
          },
        ],
      },
      problem: /targets\[0\]\.alertResources\[1\]: expected an ARM resource id/,
    },
    {
      rule: 'an alert resource that names a resource group but no resource',
      targets: {
        targets: [
          {
            ...goodTarget,
            alertResources: ['/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web'],
          },
        ],
      },
      problem: /targets\[0\]\.alertResources\[0\]: expected an ARM resource id/,
    },
    {
      rule: 'a registry endpoint that is not a URL',
      env: { ...baseEnv, SHEPHERD_REGISTRY_ENDPOINT: 'contoso.azurecr.io' },
      problem: /^SHEPHERD_REGISTRY_ENDPOINT: /,
    },
    {
      rule: 'a target promoting to a target that does not exist',
      targets: { targets: [{ ...goodTarget, promotesTo: 'web-prod' }] },
      problem: /targets\[0\]\.promotesTo: "web-prod" is not a target$/,
    },
    {
      rule: 'a target promoting to itself',
      targets: { targets: [{ ...goodTarget, promotesTo: 'web' }] },
      problem: /targets\[0\]\.promotesTo: "web" promotes to itself$/,
    },
    {
      rule: 'a promotion chain that goes round in a circle',
      targets: {
        targets: [
          { ...goodTarget, promotesTo: 'web-prod' },
          { ...goodTarget, name: 'web-prod', site: { ...goodTarget.site, slot: 'other' }, promotesTo: 'web' },
        ],
      },
      problem: /targets\[0\]\.promotesTo: the promotion chain web → web-prod → web goes round in a circle$/,
    },
    {
      rule: 'a target promoting to one that follows another repository',
      targets: {
        targets: [
          { ...goodTarget, promotesTo: 'web-prod' },
          {
            ...goodTarget,
            name: 'web-prod',
            site: { ...goodTarget.site, slot: 'other' },
            registry: { ...goodTarget.registry, repository: 'contoso/web-prod' },
          },
        ],
      },
      problem: /targets\[0\]\.promotesTo: "web-prod" follows contoso\.azurecr\.io\/contoso\/web-prod, not /,
    },
    {
      rule: 'a 5xx gate that is not a rate',
      targets: { targets: [{ ...goodTarget, gates: { max5xxRate: 5 } }] },
      problem: /targets\[0\]\.gates\.max5xxRate/,
    },
  ];
  for (const r of rejected) {
    it(`stops start-up on ${r.rule}, naming it`, () => {
      const root = appWith(r.targets ?? { targets: [goodTarget] });
      const problems = problemsOf(() => loadConfig(r.env ?? baseEnv, root));
      assert.ok(
        problems.some((p) => r.problem.test(p)),
        `problems were:\n${problems.join('\n')}`,
      );
    });
  }

  it('names every bad value at once', () => {
    const root = appWith({
      targets: [{ ...goodTarget, name: 'Bad Name', registry: { loginServer: 'UPPER', repository: 'x' } }],
    });
    const problems = problemsOf(() => loadConfig(baseEnv, root));
    assert.equal(problems.length, 2, problems.join('\n'));
  });
});

describe('App Service authentication (WEBSITE_AUTH_ENABLED)', () => {
  const root = appWith({ targets: [goodTarget] });
  const rows: { value: string | undefined; on: boolean }[] = [
    { value: undefined, on: false },
    { value: 'True', on: true },
    { value: 'true', on: true },
    { value: 'False', on: false },
  ];
  for (const r of rows) {
    it(`is ${r.on ? 'on' : 'off'} when the platform sets ${r.value ?? 'nothing'}`, () => {
      const env = r.value === undefined ? baseEnv : { ...baseEnv, WEBSITE_AUTH_ENABLED: r.value };
      assert.equal(loadConfig(env, root).easyAuthEnabled, r.on);
    });
  }

  it('stops start-up on a value that is neither True nor False', () => {
    const problems = problemsOf(() => loadConfig({ ...baseEnv, WEBSITE_AUTH_ENABLED: 'yes' }, root));
    assert.deepEqual(problems, ['WEBSITE_AUTH_ENABLED: expected True or False']);
  });
});

describe('configuration of Azure’s endpoints and the sandbox switch', () => {
  const local = {
    AZURE_AUTHORITY_HOST: 'https://localhost:8443',
    SHEPHERD_ARM_ENDPOINT: 'https://127.0.0.1:8443',
    SHEPHERD_METRICS_ENDPOINT: 'https://[::1]:8443/metrics/{region}',
    SHEPHERD_REGISTRY_ENDPOINT: 'https://localhost:8443',
  };

  it('builds each region’s metrics endpoint from Azure’s public cloud unless told otherwise, the sandbox off', () => {
    const config = loadConfig(baseEnv, appWith({ targets: [goodTarget] }));
    assert.equal(config.metricsEndpoint, 'https://{region}.metrics.monitor.azure.com');
    assert.equal(
      metricsEndpointFor(config.metricsEndpoint, 'eastus2'),
      'https://eastus2.metrics.monitor.azure.com',
    );
    assert.equal(config.sandbox, false);
    const sovereign = loadConfig(
      { ...baseEnv, SHEPHERD_METRICS_ENDPOINT: 'https://{region}.metrics.monitor.azure.us' },
      appWith({ targets: [goodTarget] }),
    );
    assert.equal(
      metricsEndpointFor(sovereign.metricsEndpoint, 'usgovvirginia'),
      'https://usgovvirginia.metrics.monitor.azure.us',
    );
  });

  it('takes the sandbox switch when every endpoint is on this machine', () => {
    const config = loadConfig(
      { ...baseEnv, ...local, SHEPHERD_SANDBOX: 'true' },
      appWith({ targets: [goodTarget] }),
    );
    assert.equal(config.sandbox, true);
    assert.equal(config.authorityHost, local.AZURE_AUTHORITY_HOST);
  });

  it('refuses the sandbox switch against Azure’s own endpoints, naming each', () => {
    const problems = problemsOf(() =>
      loadConfig({ ...baseEnv, SHEPHERD_SANDBOX: 'true' }, appWith({ targets: [goodTarget] })),
    );
    assert.deepEqual(problems, [
      'SHEPHERD_SANDBOX: is true, but AZURE_AUTHORITY_HOST is not set; point it at the sandbox',
      "SHEPHERD_SANDBOX: is true, but SHEPHERD_ARM_ENDPOINT (https://management.azure.com) is not on this machine; the switch turns Azure's sign-in checks off, so it is only for the local sandbox",
      "SHEPHERD_SANDBOX: is true, but SHEPHERD_METRICS_ENDPOINT (https://westeurope.metrics.monitor.azure.com) is not on this machine; the switch turns Azure's sign-in checks off, so it is only for the local sandbox",
      'SHEPHERD_SANDBOX: is true, but SHEPHERD_REGISTRY_ENDPOINT is not set; point it at the sandbox',
    ]);
  });

  it('refuses the sandbox switch with a sovereign cloud’s authority or a target’s vault in Azure', () => {
    const sovereign = problemsOf(() =>
      loadConfig(
        {
          ...baseEnv,
          ...local,
          AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
          SHEPHERD_SANDBOX: 'true',
        },
        appWith({ targets: [goodTarget] }),
      ),
    );
    assert.equal(sovereign.length, 1, sovereign.join('\n'));
    assert.match(
      sovereign[0] ?? '',
      /AZURE_AUTHORITY_HOST \(https:\/\/login\.microsoftonline\.us\) is not on this machine/,
    );

    const database = {
      host: 'localhost',
      name: 'appdb',
      user: 'shepherd',
      credential: { keyVaultSecretUri: 'https://contoso-kv.vault.azure.net/secrets/appdb-password' },
    };
    const vault = problemsOf(() =>
      loadConfig(
        {
          ...baseEnv,
          ...local,
          SHEPHERD_SANDBOX: 'true',
          SHEPHERD_BACKUP_STORAGE: 'UseDevelopmentStorage=true',
        },
        appWith({ targets: [{ ...goodTarget, database }] }),
      ),
    );
    assert.equal(vault.length, 1, vault.join('\n'));
    assert.match(
      vault[0] ?? '',
      /the Key Vault secret of target web \(https:\/\/contoso-kv\.vault\.azure\.net\/.*\) is not on this machine/,
    );
  });

  const machines: [string, boolean][] = [
    ['https://localhost:8443', true],
    ['https://LOCALHOST', true],
    ['https://vault.localhost:8443/secrets/x', true],
    ['https://127.0.0.1:8443', true],
    ['https://127.8.9.10', true],
    ['https://[::1]:8443', true],
    ['https://localhost.contoso.example', false],
    ['https://127.0.0.1.nip.io', false],
    ['https://login.microsoftonline.us', false],
    ['https://10.0.0.4', false],
    ['not a url', false],
  ];
  for (const [url, local] of machines) {
    it(`counts ${url} as ${local ? '' : 'not '}on this machine`, () => {
      assert.equal(isOnThisMachine(url), local);
    });
  }
});

describe('where Shepherd keeps its state', () => {
  const devTables =
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LWtleQ==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

  it('takes a storage connection string, or a table service URL signed in with the Azure credential', () => {
    const root = appWith({ targets: [goodTarget] });
    assert.deepEqual(loadConfig({ ...baseEnv, SHEPHERD_STATE_STORAGE: devTables }, root).stateStorage, {
      connectionString: devTables,
    });
    const url = 'https://contosostate.table.core.windows.net';
    assert.deepEqual(loadConfig({ ...baseEnv, SHEPHERD_STATE_STORAGE: url }, root).stateStorage, {
      serviceUrl: url,
    });
  });

  it('stops start-up when it is not set: what Shepherd does must be recorded', () => {
    const withoutState: Record<string, string> = { ...baseEnv };
    delete withoutState.SHEPHERD_STATE_STORAGE;
    assert.deepEqual(
      problemsOf(() => loadConfig(withoutState, appWith({ targets: [goodTarget] }))),
      ['SHEPHERD_STATE_STORAGE: is not set'],
    );
  });

  const refused: [string, string][] = [
    ['a blob service URL', 'https://contosostate.blob.core.windows.net'],
    ['a URL a token would travel to in clear', 'http://contosostate.table.core.windows.net'],
    ['a connection string without a table endpoint or account', 'AccountKey=c2VjcmV0LWtleQ=='],
    [
      'an account connection string without its key',
      'DefaultEndpointsProtocol=https;AccountName=contosostate;EndpointSuffix=core.windows.net',
    ],
    [
      'an account connection string without its protocol',
      'AccountName=contosostate;AccountKey=c2VjcmV0LWtleQ==;TableEndpoint=https://contosostate.table.core.windows.net',
    ],
    [
      'a SAS connection string without the table endpoint',
      'BlobEndpoint=https://contosostate.blob.core.windows.net;SharedAccessSignature=sv=2024&sig=c2VjcmV0LWtleQ',
    ],
    ['nothing', ' '],
  ];
  for (const [what, value] of refused)
    it(`refuses ${what}, naming the setting without repeating its value`, () => {
      const problems = problemsOf(() =>
        loadConfig({ ...baseEnv, SHEPHERD_STATE_STORAGE: value }, appWith({ targets: [goodTarget] })),
      );
      assert.deepEqual(problems, [
        'SHEPHERD_STATE_STORAGE: expected a table service URL (https://<account>.table.core.windows.net) or a storage connection string',
      ]);
      assert.ok(!problems.join('\n').includes('c2VjcmV0LWtleQ'));
    });
});

describe('configuration of databases and backups', () => {
  const database = {
    host: 'contoso-db.postgres.database.azure.com',
    name: 'appdb',
    user: 'shepherd',
    credential: { keyVaultSecretUri: 'https://contoso-kv.vault.azure.net/secrets/appdb-password' },
  };
  const devStorage =
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';
  const withStorage = { ...baseEnv, SHEPHERD_BACKUP_STORAGE: devStorage };

  it('reads a target database, applying defaults, and where backups go', () => {
    const root = appWith({ targets: [{ ...goodTarget, database }] });
    const config = loadConfig(withStorage, root);
    assert.deepEqual(config.targets[0]?.database, {
      ...database,
      port: 5432,
      sslMode: 'verify-full',
      credential: { ...database.credential, holds: 'password' },
      backups: { enabled: true, retentionDays: 30 },
    });
    assert.deepEqual(config.backups.storage, { connectionString: devStorage });
    assert.equal(config.backups.container, 'shepherd-backups');
    assert.equal(config.backups.pgBinDir, undefined);
  });

  it('takes a blob service URL, signed in with the Azure credential, and Microsoft Entra sign-in to the database', () => {
    const root = appWith({
      targets: [{ ...goodTarget, database: { ...database, credential: { entra: true } } }],
    });
    const config = loadConfig(
      {
        ...baseEnv,
        SHEPHERD_BACKUP_STORAGE: 'https://contosobackups.blob.core.windows.net',
        SHEPHERD_BACKUP_CONTAINER: 'release-backups',
        SHEPHERD_PG_BIN_DIR: '/usr/lib/postgresql/17/bin',
        PATH: '/usr/local/bin:/usr/bin',
      },
      root,
    );
    assert.deepEqual(config.targets[0]?.database?.credential, { entra: true });
    assert.deepEqual(config.backups, {
      storage: { serviceUrl: 'https://contosobackups.blob.core.windows.net' },
      container: 'release-backups',
      pgBinDir: '/usr/lib/postgresql/17/bin',
      searchPath: ['/usr/local/bin', '/usr/bin'],
    });
  });

  it('needs no backup settings while no target has a database', () => {
    const config = loadConfig(baseEnv, appWith({ targets: [goodTarget] }));
    assert.equal(config.backups.storage, undefined);
  });

  it('stops start-up when a target has a database but backups have nowhere to go', () => {
    const root = appWith({ targets: [{ ...goodTarget, database }] });
    assert.deepEqual(
      problemsOf(() => loadConfig(baseEnv, root)),
      ['SHEPHERD_BACKUP_STORAGE: is not set, and web has a database to back up'],
    );
  });

  it('names a storage setting that is neither a URL nor a connection string without repeating it', () => {
    const value = 'AccountKey=c2VjcmV0LWtleQ==';
    const problems = problemsOf(() =>
      loadConfig({ ...baseEnv, SHEPHERD_BACKUP_STORAGE: value }, appWith({ targets: [goodTarget] })),
    );
    assert.deepEqual(problems, [
      'SHEPHERD_BACKUP_STORAGE: expected a blob service URL (https://<account>.blob.core.windows.net) or a storage connection string',
    ]);
    assert.ok(!problems.join('\n').includes('c2VjcmV0LWtleQ'));
  });

  const rejected: { rule: string; env?: Record<string, string>; database?: unknown; problem: RegExp }[] = [
    {
      rule: 'a container name Azure would refuse',
      env: { ...withStorage, SHEPHERD_BACKUP_CONTAINER: 'Backups--Here' },
      problem: /^SHEPHERD_BACKUP_CONTAINER: expected 3 to 63 lowercase letters/,
    },
    {
      rule: 'a relative PostgreSQL bin folder',
      env: { ...withStorage, SHEPHERD_PG_BIN_DIR: 'pg/bin' },
      problem: /^SHEPHERD_PG_BIN_DIR: expected an absolute path$/,
    },
    {
      rule: 'an unknown database field, likely a typo',
      database: { ...database, sslmode: 'require' },
      problem: /targets\[0\]\.database: Unrecognized key: "sslmode"/,
    },
    {
      rule: 'a database name that is not a plain identifier',
      database: { ...database, name: 'app db' },
      problem: /targets\[0\]\.database\.name: expected up to 63 letters, digits, underscores and dashes/,
    },
    {
      rule: 'a secret URI that is not a Key Vault secret',
      database: {
        ...database,
        credential: { keyVaultSecretUri: 'https://contoso-kv.vault.azure.net/keys/k' },
      },
      problem: /targets\[0\]\.database\.credential/,
    },
    {
      rule: 'a credential that is neither a secret nor Entra',
      database: { ...database, credential: { password: 'inline' } },
      problem: /targets\[0\]\.database\.credential/,
    },
    {
      rule: 'an SSL mode other than verify-full, require or disable',
      database: { ...database, sslMode: 'prefer' },
      problem: /targets\[0\]\.database\.sslMode/,
    },
    {
      rule: 'a relative CA file for verify-full',
      database: { ...database, sslRootCert: 'certs/db-ca.pem' },
      problem: /targets\[0\]\.database\.sslRootCert.*expected an absolute path/,
    },
    {
      rule: 'a CA file for verify-full that does not exist',
      database: { ...database, sslRootCert: '/nonexistent/db-ca.pem' },
      problem: /targets\[0\]\.database\.sslRootCert.*the file does not exist/,
    },
  ];
  for (const r of rejected) {
    it(`stops start-up on ${r.rule}, naming it`, () => {
      const root = appWith({ targets: [{ ...goodTarget, database: r.database ?? database }] });
      const problems = problemsOf(() => loadConfig(r.env ?? withStorage, root));
      assert.ok(
        problems.some((p) => r.problem.test(p)),
        `problems were:\n${problems.join('\n')}`,
      );
    });
  }
});

describe('configuration of managed secrets', () => {
  const roleSecret = {
    name: 'appdb-login',
    kind: 'postgresRole',
    keyVaultSecretUri: 'https://contoso-kv.vault.azure.net/secrets/appdb-login',
    consumers: ['web'],
    postgres: {
      host: 'contoso-db.postgres.database.azure.com',
      database: 'appdb',
      roles: ['app_blue', 'app_green'],
      admin: { user: 'shepherd_admin', credential: { entra: true } },
    },
  };
  const load = (secrets: unknown[]): ReturnType<typeof loadConfig> =>
    loadConfig(baseEnv, appWith({ targets: [goodTarget], secrets }));
  const problems = (secrets: unknown[]): string[] => problemsOf(() => load(secrets));

  it('reads the three kinds, applying every default once', () => {
    const config = load([
      roleSecret,
      {
        name: 'signing-key',
        kind: 'generated',
        keyVaultSecretUri: 'https://contoso-kv.vault.azure.net/secrets/signing-key/',
        consumers: ['web'],
      },
      {
        name: 'maps-api-key',
        kind: 'manual',
        keyVaultSecretUri: 'https://contoso-kv.vault.azure.net/secrets/maps-api-key',
        consumers: ['web'],
        noticeDays: 30,
      },
    ]);
    assert.deepEqual(
      config.secrets.map((s) => [s.name, s.kind, s.noticeDays, 'rotationDays' in s ? s.rotationDays : null]),
      [
        ['appdb-login', 'postgresRole', 14, 90],
        ['signing-key', 'generated', 14, 90],
        ['maps-api-key', 'manual', 30, null],
      ],
    );
    const [role, generated] = config.secrets;
    assert.equal(role?.kind === 'postgresRole' && role.postgres.holds, 'connectionString');
    assert.equal(role?.kind === 'postgresRole' && role.postgres.sslMode, 'verify-full');
    assert.equal(role?.kind === 'postgresRole' && role.postgres.port, 5432);
    assert.deepEqual(generated?.kind === 'generated' && generated.generated, {
      length: 48,
      alphabet: 'base64url',
    });
    assert.deepEqual(load([]).secrets, []);
  });

  const rows: { rule: string; secrets: unknown[]; problem: RegExp }[] = [
    {
      rule: 'a consumer that is not a target',
      secrets: [{ ...roleSecret, consumers: ['web', 'shop'] }],
      problem: /secrets\[0\]\.consumers\[1\]: "shop" is not a target/,
    },
    {
      rule: 'a role pair that names one role twice',
      secrets: [{ ...roleSecret, postgres: { ...roleSecret.postgres, roles: ['app', 'app'] } }],
      problem: /secrets\[0\]\.postgres\.roles: expected two different roles that take turns/,
    },
    {
      rule: 'an unknown field',
      secrets: [{ ...roleSecret, rotateDays: 30 }],
      problem: /secrets\[0\]: Unrecognized key: "rotateDays"/,
    },
    {
      rule: 'a rotation period on a secret Shepherd cannot rotate',
      secrets: [
        {
          name: 'k',
          kind: 'manual',
          keyVaultSecretUri: roleSecret.keyVaultSecretUri,
          consumers: ['web'],
          rotationDays: 30,
        },
      ],
      problem: /secrets\[0\]: Unrecognized key: "rotationDays"/,
    },
    {
      rule: 'a Key Vault secret URI that names a version',
      secrets: [{ ...roleSecret, keyVaultSecretUri: `${roleSecret.keyVaultSecretUri}/${'a'.repeat(32)}` }],
      problem: /secrets\[0\]\.keyVaultSecretUri: expected a Key Vault secret URI without a version/,
    },
    {
      rule: 'a password alone without the secret that says which role it is for',
      secrets: [{ ...roleSecret, postgres: { ...roleSecret.postgres, holds: 'password' } }],
      problem: /secrets\[0\]\.postgres\.userSecretUri: a secret that holds a password needs userSecretUri/,
    },
    {
      rule: 'two secrets of one name, or of one Key Vault secret',
      secrets: [roleSecret, { ...roleSecret, keyVaultSecretUri: `${roleSecret.keyVaultSecretUri}/` }],
      problem: /secrets\[1\]\.name: "appdb-login" is used by an earlier secret/,
    },
    {
      rule: 'an unknown kind',
      secrets: [{ ...roleSecret, kind: 'certificate' }],
      problem: /secrets\[0\]\.kind: /,
    },
  ];
  for (const row of rows)
    it(`stops start-up on ${row.rule}`, () => {
      const found = problems(row.secrets);
      assert.ok(
        found.some((p) => row.problem.test(p)),
        found.join('\n'),
      );
    });
});
