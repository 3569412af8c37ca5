import { readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { databaseName, postgresCredential, postgresServerFields, roleName } from './databaseSettings';
import { promotionProblems } from './domain/promotionChain';
import type { ChainLink } from './domain/promotionChain';
import { describePolicyProblem } from './domain/releaseTags';
import { siteKey } from './domain/siteKey';
import { sandboxEndpointProblems } from './sandboxEndpoints';
import { cleanupScheduleSettings } from './schedules';
import { managedSecretSchema } from './secretSettings';
import type { ManagedSecret } from './secretSettings';

/** The folder the app runs from: package.json's folder, two levels above this file once built. */
export const appRoot = join(__dirname, '..', '..');

/** Where `SHEPHERD_METRICS_ENDPOINT` puts the region's name. */
const regionPlaceholder = '{region}';

/** The metrics endpoint of `region` (e.g. `westeurope`) that `template` (`SHEPHERD_METRICS_ENDPOINT`) names. */
export function metricsEndpointFor(template: string, region: string): string {
  return template.replaceAll(regionPlaceholder, region);
}

const targetName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'expected lowercase letters, digits and dashes, starting with a letter or digit',
  );

const urlPath = z.string().regex(/^\/[^\s]*$/, 'expected a path starting with /');

/** An ARM resource id in a resource group, e.g. an Application Insights component or a Log Analytics workspace. */
const armResourceId = z
  .string()
  .regex(
    /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+(\/[^/\s]+\/[^/\s]+)+$/i,
    'expected an ARM resource id, /subscriptions/<id>/resourceGroups/<group>/providers/<namespace>/<type>/<name>',
  );

const releaseTagsSchema = z.union([
  z.object({ glob: z.string().min(1) }).strict(),
  z
    .object({ semver: z.string().min(1) })
    .strict()
    .refine((p) => describePolicyProblem(p) === undefined, {
      message: 'expected a semver range such as ">=2.0.0 <3"',
    }),
]);

const databaseSchema = z
  .object({
    ...postgresServerFields,
    /** The database backed up before each release. */
    name: databaseName,
    /** The role Shepherd connects as; with Microsoft Entra, the role named after its managed identity. */
    user: roleName,
    credential: postgresCredential,
    /** Backed up before each release unless turned off; on-demand backups and restores work either way. */
    backups: z
      .object({
        enabled: z.boolean().default(true),
        /** Backups older than this are deleted, except the newest verified one of the database. */
        retentionDays: z.number().int().min(1).max(3650).default(30),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const repositoryName = z.string().regex(/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/, 'expected a repository name');

/**
 * What registry cleanup may delete in the target's repository (and `extraRepositories`), modelled on
 * `acr purge`: tags matching `tagFilter` older than `olderThanDays`, beyond the `keep` newest tagged
 * images; untagged manifests older than `untaggedDays`. What is in use is never deleted.
 */
const registryCleanupSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** A regular expression a whole tag must match to be deleted (`acr purge --filter`). */
    tagFilter: z
      .string()
      .min(1)
      .refine((pattern) => {
        try {
          new RegExp(`^(?:${pattern})$`);
          return true;
        } catch {
          return false;
        }
      }, 'expected a regular expression')
      .default('.*'),
    /** Tags last updated longer ago than this may go (`acr purge --ago`). */
    olderThanDays: z.number().min(1).default(30),
    /** The newest tagged images always kept (`acr purge --keep`). */
    keep: z.number().int().min(1).default(10),
    /** Untagged manifests older than this go (`acr purge --untagged`, with an age). */
    untaggedDays: z.number().min(1).default(7),
    /** More repositories of the same registry cleaned by the same rules (e.g. a sidecar's). */
    extraRepositories: z.array(repositoryName).default([]),
  })
  .strict();

/** A target's registry cleanup settings. */
export type RegistryCleanup = z.infer<typeof registryCleanupSchema>;

/** How a notification webhook wants its messages: Shepherd's JSON, a Teams Workflows card, or Slack blocks. */
export const noticeFormats = ['json', 'teams', 'slack'] as const;
export type NoticeFormat = (typeof noticeFormats)[number];

const notificationsSchema = z
  .object({
    /** One webhook taking Shepherd's JSON (`text`, `urgent` and the notice's fields): the short form. */
    webhookUrl: z.url().optional(),
    webhooks: z
      .array(z.object({ url: z.url(), format: z.enum(noticeFormats).default('json') }).strict())
      .default([]),
  })
  .strict()
  .prefault({});

/** Where a target's or an environment's notices go. */
export type NotificationSettings = z.infer<typeof notificationsSchema>;

const environmentSchema = z
  .object({
    name: z.string().min(1),
    /**
     * Whether the environment serves users; a budget's critical threshold never stops its apps.
     * Unset, only the usual names of non-production environments (dev, test, qa, staging, …) count as
     * non-production: a misnamed production environment must never be stopped.
     */
    production: z.boolean().optional(),
    notifications: notificationsSchema,
  })
  .strict();

/** A budget's thresholds, by the share of the budget and whether spending is actual or forecast. */
export const budgetKinds = ['actual', 'forecasted'] as const;
export type BudgetKind = (typeof budgetKinds)[number];

const budgetThresholdSchema = z
  .object({
    /** Percent of the budget's amount, as Azure's budget notifications count it (0.01–1000). */
    percent: z.number().min(0.01).max(1000),
    kind: z.enum(budgetKinds).default('actual'),
    /** `notify` tells people; `freeze` also freezes releases to the budget's environments. */
    action: z.enum(['notify', 'freeze']),
  })
  .strict();

/** The common practice: told at half and four fifths, warned of a forecast overrun, frozen when spent. */
const defaultBudgetThresholds: z.output<typeof budgetThresholdSchema>[] = [
  { percent: 50, kind: 'actual', action: 'notify' },
  { percent: 80, kind: 'actual', action: 'notify' },
  { percent: 100, kind: 'forecasted', action: 'notify' },
  { percent: 100, kind: 'actual', action: 'freeze' },
];

const budgetSchema = z
  .object({
    /** The Azure budget's name, as its alerts carry it (compared without case). */
    name: z.string().min(1).max(63).optional(),
    /** Or every budget of a subscription or a resource group, for budgets not named here. */
    scope: z
      .object({
        subscriptionId: z.guid('expected a subscription id (a GUID)'),
        resourceGroup: z
          .string()
          .regex(/^[-\w.()]{1,90}$/, 'expected a resource group name')
          .optional(),
      })
      .strict()
      .optional(),
    /** The environments the budget pays for: what its thresholds freeze and stop. */
    environments: z.array(z.string().min(1)).min(1),
    /** When the budget's spending starts again from nothing, counted from its start date. */
    period: z.enum(['monthly', 'quarterly', 'annually']).default('monthly'),
    /** The budget's start date, for alerts that do not carry it (the older schema may not). */
    startDate: z.iso.date().optional(),
    thresholds: z.array(budgetThresholdSchema).min(1).prefault(defaultBudgetThresholds),
    /** Off unless set: at this share of actual spending, the non-production apps are stopped too. */
    critical: z
      .object({ percent: z.number().min(0.01).max(1000), kind: z.enum(budgetKinds).default('actual') })
      .strict()
      .optional(),
    /** Where this budget's notices go besides the notification webhooks of its environments. */
    notifications: notificationsSchema,
  })
  .strict()
  .refine((b) => b.name !== undefined || b.scope !== undefined, {
    message: "expected the budget's name, its scope, or both",
  });

const targetSchema = z
  .object({
    name: targetName,
    /** Which environment the target belongs to; budget freezes and policies apply per environment. */
    environment: z.string().min(1).default('production'),
    site: z
      .object({
        subscriptionId: z.guid('expected a subscription id (a GUID)'),
        resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/, 'expected a resource group name'),
        name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}$/, 'expected an App Service site name'),
        /** The slot new versions are deployed to before they take traffic. */
        slot: z
          .string()
          .regex(/^[a-zA-Z0-9-]{1,59}$/, 'expected a slot name')
          .default('staging'),
      })
      .strict(),
    registry: z
      .object({
        loginServer: z
          .string()
          .regex(/^[a-z0-9.-]+(:\d+)?$/, 'expected a registry host name, e.g. myregistry.azurecr.io'),
        repository: repositoryName,
        /** Every tag releases unless a glob or semver range narrows it; other tags are ignored, with a reason. */
        releaseTags: releaseTagsSchema.default({ glob: '*' }),
      })
      .strict(),
    /** Canary moves traffic in steps while metrics are judged; blue-green swaps once the slot proves healthy. */
    strategy: z.enum(['canary', 'blueGreen']).default('canary'),
    canary: z
      .object({
        /** Percent of traffic on the slot at each step; the swap follows the last. */
        steps: z
          .array(z.number().int().min(1).max(100))
          .min(1)
          .refine((s) => s.every((v, i) => i === 0 || v > (s[i - 1] ?? 0)), {
            message: 'expected steps that rise, e.g. [10, 50, 100]',
          })
          .default([10, 50, 100]),
        /** One analysis window per step: long enough for a few hundred requests on most sites. */
        intervalMinutes: z.number().min(1).max(120).default(5),
      })
      .strict()
      .prefault({}),
    gates: z
      .object({
        /**
         * A ceiling on the slot's own 5xx share, judged as a plain rate. Flagger's usual gate is 1%, but on
         * the hundred requests a 10% step of a small site sees, one or two errors by chance put a healthy
         * image over it; the comparison with production catches a worse image (`npm run bench -- judgement`).
         */
        max5xxRate: z.number().min(0).max(1).default(0.04),
        /**
         * Errors production has too are not the canary's fault; more than this over production's rate,
         * shown with `comparisonConfidence`, is.
         */
        max5xxRateOverProduction: z.number().min(0).max(1).default(0.005),
        /** One-sided confidence of the comparison with production: a slot fails only when shown worse. */
        comparisonConfidence: z.number().min(0.8).max(0.999).default(0.95),
        maxAverageResponseMs: z.number().positive().default(1000),
        maxResponseTimeRatioToProduction: z.number().min(1).default(2),
        /** Comparing a few milliseconds with a few more is noise; the ratio counts from this average up. */
        responseTimeRatioFloorMs: z.number().min(0).default(100),
        /** Fewer requests than this in a window prove nothing, so the window is inconclusive. */
        minRequests: z.number().int().min(1).default(50),
        /** Per-minute response times compared with production's prove nothing over fewer minutes than this. */
        minResponseTimeMinutes: z.number().int().min(1).max(120).default(3),
        /**
         * Failed windows that roll back; the first repeats its step. On a 10% step's hundred-odd requests a
         * healthy image fails a window by chance in about one release in two hundred, twice almost never, while
         * a bad one fails again (`npm run bench -- judgement`). A severe fault still rolls back at once.
         */
        failureLimit: z.number().int().min(1).default(2),
        /** A canary that cannot be judged three windows running is not promoted. */
        inconclusiveLimit: z.number().int().min(1).default(3),
        /**
         * Azure Monitor's newest minutes may still be arriving when a window ends. A failing window is
         * acted on at once; one that would pass (or is too quiet) counts only when read again this long
         * after it ended, with its data complete.
         */
        metricsSettleSeconds: z.number().int().min(0).max(900).default(120),
      })
      .strict()
      .prefault({}),
    /**
     * Watching a canary step while it runs: probes of the health and smoke paths, and Azure Monitor's
     * minutes as they arrive. A severe fault rolls back at once instead of at the window's end.
     */
    failFast: z
      .object({
        /** Confidence of the one-sided Wilson interval whose lower bound of the 5xx rate must clear `gates.max5xxRate`. */
        level: z.number().min(0.9).max(0.99999).default(0.999),
        /** Fewer user requests than this are never a severe fault. */
        minRequests: z.number().int().min(10).default(50),
        /** Probe rounds failing in a row that are a severe fault. */
        probeFailuresInARow: z.number().int().min(2).max(20).default(3),
        /** Seconds between probe rounds. */
        probeIntervalSeconds: z.number().int().min(1).max(60).default(5),
        /**
         * Requests to each path in a round, any of them failing fails the round: one request to a
         * path failing half its answers fails a round only half the time, three fail seven in eight.
         */
        probesPerPath: z.number().int().min(1).max(10).default(3),
      })
      .strict()
      .prefault({}),
    warmUp: z
      .object({
        healthPath: urlPath.default('/health'),
        /** Time for the new container to pull, start and answer healthy on the slot. */
        timeoutMinutes: z.number().positive().max(60).default(10),
      })
      .strict()
      .prefault({}),
    /** Requests the slot must answer as expected before any user traffic reaches it. */
    smokeChecks: z
      .array(
        z.object({ path: urlPath, expectStatus: z.number().int().min(100).max(599).default(200) }).strict(),
      )
      .prefault([{ path: '/' }]),
    /** After the swap, production is judged this long; failure swaps back. */
    bakeMinutes: z.number().min(0).max(1440).default(10),
    approval: z
      .object({
        /** When true, traffic moves only after POST /api/releases/{id}/approve. */
        required: z.boolean().default(false),
        timeoutMinutes: z.number().positive().default(240),
      })
      .strict()
      .prefault({}),
    notifications: notificationsSchema,
    /**
     * More resources whose fired alerts stop the target's running release, as alerts on its site and
     * slot do: Application Insights and log search alerts name the component or the Log Analytics
     * workspace, not the site. None by default: a shared workspace would stop every target on it.
     */
    alertResources: z.array(armResourceId).default([]),
    /**
     * The target a release of this target hands its image on to once it has succeeded, bake included:
     * the same digest then starts a release there, run by that target's own settings. Both follow one
     * repository; the target named takes its releases from this one only, not from pushes.
     */
    promotesTo: targetName.optional(),
    /** The app's PostgreSQL database, backed up before each release; none when the app has no database. */
    database: databaseSchema.optional(),
    /** What the scheduled cleanup may delete for this target. */
    cleanup: z
      .object({ registry: registryCleanupSchema.prefault({}) })
      .strict()
      .prefault({}),
  })
  .strict();

const targetsFileSchema = z
  .object({
    targets: z.array(targetSchema),
    /** The secrets Shepherd rotates, or watches, for its targets. */
    secrets: z.array(managedSecretSchema).default([]),
    /** What Shepherd knows of each environment beyond its targets: whether it is production, who to tell. */
    environments: z.array(environmentSchema).default([]),
    /** Azure budgets and what each of their thresholds does to the environments they pay for. */
    budgets: z.array(budgetSchema).default([]),
  })
  .strict()
  .superRefine(({ targets, secrets, environments, budgets }, ctx) => {
    const refuseRepeats = <T>(
      list: 'targets' | 'secrets' | 'environments',
      items: readonly T[],
      field: string,
      keyOf: (item: T) => string,
      message: (item: T) => string,
    ): void => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        const key = keyOf(item);
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [list, i, field], message: message(item) });
        seen.add(key);
      });
    };
    refuseRepeats(
      'targets',
      targets,
      'name',
      (t) => t.name,
      (t) => `"${t.name}" is used by an earlier target`,
    );
    // Two targets on one slot would fight over its image and traffic.
    refuseRepeats(
      'targets',
      targets,
      'site',
      (t) => `${siteKey(t.site)}/${t.site.slot.toLowerCase()}`,
      () => 'this site and slot belong to an earlier target',
    );
    refuseRepeats(
      'secrets',
      secrets,
      'name',
      (s) => s.name,
      (s) => `"${s.name}" is used by an earlier secret`,
    );
    // Two rotations of one Key Vault secret would overwrite each other's versions.
    refuseRepeats(
      'secrets',
      secrets,
      'keyVaultSecretUri',
      (s) => s.keyVaultSecretUri.replace(/\/$/, '').toLowerCase(),
      () => 'this Key Vault secret is managed by an earlier secret',
    );
    refuseRepeats(
      'environments',
      environments,
      'name',
      (e) => e.name,
      (e) => `"${e.name}" is described by an earlier entry`,
    );
    // A budget for an environment with no target is a typo that would freeze nothing.
    const known = new Set([...targets.map((t) => t.environment), ...environments.map((e) => e.name)]);
    budgets.forEach((budget, i) => {
      budget.environments.forEach((environment, j) => {
        if (!known.has(environment))
          ctx.addIssue({
            code: 'custom',
            path: ['budgets', i, 'environments', j],
            message: `"${environment}" is the environment of no target and is not in environments`,
          });
      });
    });
    for (const problem of promotionProblems(targets.map(chainLinkOf)))
      ctx.addIssue({
        code: 'custom',
        path: ['targets', problem.index, 'promotesTo'],
        message: problem.message,
      });
    const names = new Set(targets.map((t) => t.name));
    secrets.forEach((secret, i) => {
      secret.consumers.forEach((consumer, j) => {
        if (!names.has(consumer))
          ctx.addIssue({
            code: 'custom',
            path: ['secrets', i, 'consumers', j],
            message: `"${consumer}" is not a target; consumers are the targets whose apps use the secret`,
          });
      });
    });
  });

/** A timer schedule as Azure Functions takes it: NCRONTAB's six fields, seconds first. */
const ncrontab = z
  .string()
  .trim()
  .regex(/^\S+( \S+){5}$/, 'expected six NCRONTAB fields, e.g. "0 0 2 * * *" (02:00 every day)');

const settingsSchema = z.object({
  /** Durable Functions task hub; host.json reads it too. Azure Storage allows 3–45 letters and digits. */
  SHEPHERD_TASK_HUB: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, 'expected 3 to 45 letters and digits, starting with a letter'),
  /** Path of the targets file, relative to the app folder unless absolute. */
  SHEPHERD_TARGETS_FILE: z.string().min(1).default('targets.json'),
  /** The secret the ACR webhook sends in its `x-shepherd-webhook-secret` custom header. */
  SHEPHERD_ACR_WEBHOOK_SECRET: z.string().min(16, 'expected at least 16 characters'),
  /** The secret in the Azure Monitor action group's webhook URL (`?secret=`). */
  SHEPHERD_ALERT_WEBHOOK_SECRET: z.string().min(16, 'expected at least 16 characters'),
  /** Azure Resource Manager; the sandbox's origin when running locally. */
  SHEPHERD_ARM_ENDPOINT: z.url().default('https://management.azure.com'),
  /**
   * Azure Monitor's batch metrics endpoints are regional and take only resources of their own region,
   * so each target's metrics go to its site's region: `{region}` becomes the site's region name.
   * Azure's public cloud unless set (sovereign clouds and the sandbox name theirs).
   */
  SHEPHERD_METRICS_ENDPOINT: z
    .string()
    .default(`https://${regionPlaceholder}.metrics.monitor.azure.com`)
    .refine(
      (t) => t.includes(regionPlaceholder) && URL.canParse(metricsEndpointFor(t, 'westeurope')),
      `expected a URL naming ${regionPlaceholder}, e.g. https://${regionPlaceholder}.metrics.monitor.azure.com`,
    ),
  /** Environments whose releases are frozen, comma-separated: a push is recorded and refused. */
  SHEPHERD_FROZEN_ENVIRONMENTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    ),
  /**
   * Where the registries' data plane is reached; unset, each target's `https://<loginServer>`, as in
   * Azure. The sandbox's origin when running locally.
   */
  SHEPHERD_REGISTRY_ENDPOINT: z.url().optional(),
  /** Where tokens come from when not Microsoft Entra's public cloud: a sovereign cloud's, or the sandbox's. */
  AZURE_AUTHORITY_HOST: z.url().optional(),
  /**
   * Only for the local sandbox: turns off the checks its localhost endpoints cannot pass (MSAL's
   * instance discovery, Key Vault's challenge verification). Refused unless every Azure endpoint is
   * on this machine, so it can never weaken sign-in against Azure.
   */
  SHEPHERD_SANDBOX: z.stringbool({ error: 'expected true or false' }).default(false),
  /**
   * Where backups go: a blob service URL (signed in with the Azure credential) or a storage connection
   * string (Azurite, development). Required once a target has a database. A connection string is a
   * secret, so problems name the setting, never its value.
   */
  SHEPHERD_BACKUP_STORAGE: z
    .string()
    .optional()
    .transform((v, ctx): StorageLocation | undefined => {
      if (v === undefined || v.trim() === '') return undefined;
      const storage = toStorageLocation(v.trim(), 'BlobEndpoint');
      if (storage === undefined)
        ctx.addIssue({
          code: 'custom',
          message:
            'expected a blob service URL (https://<account>.blob.core.windows.net) or a storage connection string',
        });
      return storage;
    }),
  /**
   * Where Shepherd keeps what must outlive its durable instances (the audit trail; later the freeze
   * store): a table service URL (signed in with the Azure credential) or a storage connection string
   * (Azurite, development). Required: an action Shepherd takes without a record of it cannot be
   * trusted later. A connection string is a secret, so problems name the setting, never its value.
   */
  SHEPHERD_STATE_STORAGE: z.string().transform((v, ctx): StorageLocation => {
    const storage = toStateStorage(v.trim());
    if (storage !== undefined) return storage;
    ctx.addIssue({
      code: 'custom',
      message:
        'expected a table service URL (https://<account>.table.core.windows.net) or a storage connection string',
    });
    return z.NEVER;
  }),
  /** Completed, failed and terminated durable instances older than this many days are purged. */
  SHEPHERD_HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** When each cleanup runs (NCRONTAB, six fields, UTC): registry and backups nightly, history weekly, drift hourly. */
  SHEPHERD_REGISTRY_CLEANUP_SCHEDULE: ncrontab.default(cleanupScheduleSettings.registry.otherwise),
  SHEPHERD_BACKUP_CLEANUP_SCHEDULE: ncrontab.default(cleanupScheduleSettings.backups.otherwise),
  SHEPHERD_HISTORY_CLEANUP_SCHEDULE: ncrontab.default(cleanupScheduleSettings.history.otherwise),
  SHEPHERD_DRIFT_SCHEDULE: ncrontab.default(cleanupScheduleSettings.drift.otherwise),
  /** The container backups are kept in: its own, apart from the Functions host's containers. */
  SHEPHERD_BACKUP_CONTAINER: z
    .string()
    .regex(
      /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
      'expected 3 to 63 lowercase letters, digits and single dashes',
    )
    .default('shepherd-backups'),
  /** The folder holding pg_dump and pg_restore; unset, they are looked for on PATH, then in /usr/lib/postgresql. */
  SHEPHERD_PG_BIN_DIR: z
    .string()
    .refine((p) => isAbsolute(p), 'expected an absolute path')
    .optional(),
  /** The process's search path, where pg_dump is looked for when SHEPHERD_PG_BIN_DIR is unset. */
  PATH: z.string().default(''),
  /**
   * Set to `True` by App Service when its authentication (Easy Auth) is on; only then are the
   * `x-ms-client-principal*` headers the platform's own rather than whatever a caller wrote.
   */
  WEBSITE_AUTH_ENABLED: z
    .string()
    .regex(/^(true|false)$/i, 'expected True or False')
    .default('false')
    .transform((v) => v.toLowerCase() === 'true'),
});

/** Every setting `loadConfig` reads from the environment. */
export const settingNames: readonly string[] = Object.keys(settingsSchema.shape);

/**
 * The settings Shepherd cannot start without: those with neither a default nor `optional`. Read
 * from the schema itself, so that the deployment's tests fail when a new required setting is not set.
 */
export function requiredSettingNames(): string[] {
  return Object.entries(settingsSchema.shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([name]) => name);
}

/**
 * Where a storage service (backups' blobs, Shepherd's state tables) is reached: its service URL,
 * signed in with the Azure credential, or a storage connection string, which is a secret.
 */
export type StorageLocation = { serviceUrl: string } | { connectionString: string };

function toStorageLocation(
  value: string,
  endpoint: 'BlobEndpoint' | 'TableEndpoint',
): StorageLocation | undefined {
  if (/^https?:\/\//i.test(value)) return URL.canParse(value) ? { serviceUrl: value } : undefined;
  return isStorageConnectionString(value, endpoint) ? { connectionString: value } : undefined;
}

/**
 * Whether `value` has the parts a storage SDK needs to read it as a connection string: the
 * development shorthand, an account key with its protocol and endpoint (or endpoint suffix), or a
 * SAS with the service's endpoint. The SDK itself reads it only when storage is first used, so this
 * is what stops start-up on a string missing its key, SAS or endpoint.
 */
function isStorageConnectionString(value: string, endpoint: 'BlobEndpoint' | 'TableEndpoint'): boolean {
  const parts = new Map(
    value.split(';').flatMap((part) => {
      const at = part.indexOf('=');
      const [key, found] = [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()];
      return at > 0 && found !== '' ? [[key, found] as const] : [];
    }),
  );
  const has = (key: string): boolean => parts.has(key.toLowerCase());
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') return true;
  if (has('AccountKey'))
    return has('AccountName') && has('DefaultEndpointsProtocol') && (has(endpoint) || has('EndpointSuffix'));
  return has('SharedAccessSignature') && has(endpoint);
}

/** A table service URL signed in with the Azure credential must be https (a token never goes out in clear) and Table storage's. */
function toStateStorage(value: string): StorageLocation | undefined {
  const location = toStorageLocation(value, 'TableEndpoint');
  if (location === undefined || 'connectionString' in location) return location;
  const url = new URL(location.serviceUrl);
  return url.protocol === 'https:' && !/\.(blob|queue|file|dfs)\./i.test(url.hostname) ? location : undefined;
}

export type Target = z.infer<typeof targetSchema>;

/** A target as its promotion chain sees it. */
export function chainLinkOf(target: Pick<Target, 'name' | 'promotesTo' | 'registry'>): ChainLink {
  const { loginServer, repository } = target.registry;
  return {
    name: target.name,
    promotesTo: target.promotesTo,
    repository: `${loginServer.toLowerCase()}/${repository}`,
  };
}
export type EnvironmentSettings = z.infer<typeof environmentSchema>;
/** An Azure budget Shepherd acts on, and what each of its thresholds does. */
export type BudgetSettings = z.infer<typeof budgetSchema>;
export type BudgetThreshold = z.infer<typeof budgetThresholdSchema>;
/** A target's PostgreSQL database and how Shepherd signs in to it. */
export type TargetDatabase = z.infer<typeof databaseSchema>;

export interface Config {
  version: string;
  taskHub: string;
  targetsFile: string;
  targets: Target[];
  /** The secrets Shepherd rotates or watches (the targets file's `secrets`). */
  secrets: ManagedSecret[];
  /** The targets file's `environments`: what it says of environments beyond their targets. */
  environments: EnvironmentSettings[];
  /** The targets file's `budgets`. */
  budgets: BudgetSettings[];
  acrWebhookSecret: string;
  alertWebhookSecret: string;
  armEndpoint: string;
  /** The regional metrics endpoint, with `{region}` where the region's name goes. */
  metricsEndpoint: string;
  registryEndpoint: string | undefined;
  frozenEnvironments: string[];
  authorityHost: string | undefined;
  /** Whether App Service authentication is on, so the caller's identity headers can be trusted. */
  easyAuthEnabled: boolean;
  /** Whether Shepherd runs against the local sandbox (`SHEPHERD_SANDBOX`), every endpoint checked to be local. */
  sandbox: boolean;
  backups: BackupSettings;
  /** Where Shepherd's state tables (the audit trail) are kept. */
  stateStorage: StorageLocation;
  cleanup: CleanupSettings;
}

/** When the cleanups run, and how long durable history is kept. */
export interface CleanupSettings {
  historyRetentionDays: number;
  schedules: { registry: string; backups: string; history: string; drift: string };
}

/** Where backups go and which PostgreSQL client programs make them. */
export interface BackupSettings {
  /** Undefined only when no target has a database. */
  storage: StorageLocation | undefined;
  container: string;
  pgBinDir: string | undefined;
  /** The folders of PATH, in order. */
  searchPath: string[];
}

/** Raised when settings or targets are invalid; the message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Shepherd cannot start; fix these settings:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function describe(prefix: string, issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${prefix}${path}: ${issue.message}`;
  });
}

type TargetsFile = z.infer<typeof targetsFileSchema>;

function readTargets(path: string): TargetsFile | { problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message;
    return { problems: [`SHEPHERD_TARGETS_FILE (${path}): ${reason}`] };
  }
  const parsed = targetsFileSchema.safeParse(raw);
  return parsed.success
    ? parsed.data
    : { problems: describe(path, parsed.error.issues).map((p) => p.replace(`${path}.`, `${path}: `)) };
}

/** The Key Vault secrets a managed secret lives in or is changed with, named for a problem message. */
function keyVaultSecretsOfSecret(secret: ManagedSecret): [string, string][] {
  const uris: [string, string][] = [
    [`the Key Vault secret of secret ${secret.name}`, secret.keyVaultSecretUri],
  ];
  if (secret.kind !== 'postgresRole') return uris;
  const { userSecretUri, admin } = secret.postgres;
  if (userSecretUri !== undefined) uris.push([`the role secret of secret ${secret.name}`, userSecretUri]);
  if ('keyVaultSecretUri' in admin.credential)
    uris.push([`the admin credential of secret ${secret.name}`, admin.credential.keyVaultSecretUri]);
  return uris;
}

/** The Key Vault secret a target's database password comes from, named for a problem message. */
function keyVaultSecretOf(target: Target): [string, string][] {
  const credential = target.database?.credential;
  return credential !== undefined && 'keyVaultSecretUri' in credential
    ? [[`the Key Vault secret of target ${target.name}`, credential.keyVaultSecretUri]]
    : [];
}

/**
 * Reads and validates every setting and the targets file. This is the only reader of `process.env`;
 * everything else receives the `Config` it returns. Throws a `ConfigError` naming every bad value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root: string = appRoot): Config {
  const settings = settingsSchema.safeParse(env);
  if (!settings.success) {
    throw new ConfigError(
      settings.error.issues.map((i) => {
        const name = String(i.path[0]);
        return `${name}: ${env[name] === undefined ? 'is not set' : i.message}`;
      }),
    );
  }
  const file = settings.data.SHEPHERD_TARGETS_FILE;
  const targetsFile = isAbsolute(file) ? file : join(root, file);
  const targets = readTargets(targetsFile);
  if ('problems' in targets) throw new ConfigError(targets.problems);
  const d = settings.data;
  const withDatabase = targets.targets.filter((t) => t.database !== undefined).map((t) => t.name);
  if (d.SHEPHERD_BACKUP_STORAGE === undefined && withDatabase.length > 0) {
    throw new ConfigError([
      `SHEPHERD_BACKUP_STORAGE: is not set, and ${withDatabase.join(', ')} ${withDatabase.length === 1 ? 'has a database' : 'have databases'} to back up`,
    ]);
  }
  if (d.SHEPHERD_SANDBOX) {
    const problems = sandboxEndpointProblems({
      AZURE_AUTHORITY_HOST: d.AZURE_AUTHORITY_HOST,
      SHEPHERD_ARM_ENDPOINT: d.SHEPHERD_ARM_ENDPOINT,
      SHEPHERD_METRICS_ENDPOINT: metricsEndpointFor(d.SHEPHERD_METRICS_ENDPOINT, 'westeurope'),
      SHEPHERD_REGISTRY_ENDPOINT: d.SHEPHERD_REGISTRY_ENDPOINT,
      ...Object.fromEntries(targets.targets.flatMap(keyVaultSecretOf)),
      ...Object.fromEntries(targets.secrets.flatMap(keyVaultSecretsOfSecret)),
    });
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return {
    version: pkg.version,
    taskHub: d.SHEPHERD_TASK_HUB,
    targetsFile,
    targets: targets.targets,
    secrets: targets.secrets,
    environments: targets.environments,
    budgets: targets.budgets,
    acrWebhookSecret: d.SHEPHERD_ACR_WEBHOOK_SECRET,
    alertWebhookSecret: d.SHEPHERD_ALERT_WEBHOOK_SECRET,
    armEndpoint: d.SHEPHERD_ARM_ENDPOINT,
    metricsEndpoint: d.SHEPHERD_METRICS_ENDPOINT,
    registryEndpoint: d.SHEPHERD_REGISTRY_ENDPOINT,
    frozenEnvironments: d.SHEPHERD_FROZEN_ENVIRONMENTS,
    authorityHost: d.AZURE_AUTHORITY_HOST,
    easyAuthEnabled: d.WEBSITE_AUTH_ENABLED,
    sandbox: d.SHEPHERD_SANDBOX,
    backups: {
      storage: d.SHEPHERD_BACKUP_STORAGE,
      container: d.SHEPHERD_BACKUP_CONTAINER,
      pgBinDir: d.SHEPHERD_PG_BIN_DIR,
      searchPath: d.PATH.split(delimiter).filter((dir) => dir !== ''),
    },
    stateStorage: d.SHEPHERD_STATE_STORAGE,
    cleanup: {
      historyRetentionDays: d.SHEPHERD_HISTORY_RETENTION_DAYS,
      schedules: {
        registry: d.SHEPHERD_REGISTRY_CLEANUP_SCHEDULE,
        backups: d.SHEPHERD_BACKUP_CLEANUP_SCHEDULE,
        history: d.SHEPHERD_HISTORY_CLEANUP_SCHEDULE,
        drift: d.SHEPHERD_DRIFT_SCHEDULE,
      },
    },
  };
}
