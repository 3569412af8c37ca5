import { readFileSync } from 'node:fs';
import { z } from 'zod';

const siteSchema = z
  .object({
    subscriptionId: z.guid(),
    resourceGroup: z.string().min(1),
    name: z.string().min(1),
    /** The region as ARM shows a site's location (its display name); metrics are served in its region. */
    location: z.string().min(1).default('West Europe'),
    slots: z.array(z.string().min(1)).default(['staging']),
    /** The image production runs when the sandbox starts; the registry holds it from the start. */
    image: z.string().min(1),
  })
  .strict();

const eventGridSchema = z.object({ endpoint: z.url() }).strict();

/** An Azure Monitor action group's webhook action (`webhookReceivers` in ARM's ActionGroup resource). */
const actionGroupWebhookSchema = z
  .object({
    name: z.string().min(1),
    /** Where alerts are posted; a secret may sit in its query string (`?secret=…`). */
    serviceUri: z.url(),
    /** On: alerts in the common alert schema; off: each service's own older payload. */
    useCommonAlertSchema: z.boolean().default(true),
  })
  .strict();

/** The sandbox's own settings: what it plays, where it listens, how fast its clock runs. */
export const sandboxConfigSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(8443),
    /** Real seconds per sandbox minute: 60 is real time; 5 makes a ten-minute canary take 50 s. */
    secondsPerMinute: z.number().positive().default(60),
    /** Sandbox seconds after a minute ends before its metrics show, as Azure Monitor's arrive late. */
    metricsDelaySeconds: z.number().min(0).max(600).default(0),
    sites: z.array(siteSchema).min(1),
    registry: z
      .object({
        loginServer: z.string().min(1),
        webhooks: z
          .array(
            z
              .object({
                name: z.string(),
                serviceUri: z.url(),
                customHeaders: z.record(z.string(), z.string()).default({}),
                actions: z.array(z.enum(['push', 'delete'])),
              })
              .strict(),
          )
          .default([]),
        eventGrid: eventGridSchema
          .extend({ schema: z.enum(['CloudEvents', 'EventGrid']).default('CloudEvents') })
          .optional(),
      })
      .strict(),
    keyVault: z.object({ vaultName: z.string().min(3), eventGrid: eventGridSchema.optional() }).strict(),
    /** The action group budgets and metric alerts notify: `budget` and `alert` commands send through it. */
    actionGroup: z
      .object({ webhooks: z.array(actionGroupWebhookSchema).default([]) })
      .strict()
      .default({ webhooks: [] }),
  })
  .strict();

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

/** Reads a sandbox config file, naming every bad field. `${NAME}` in strings is replaced by the setting. */
export function readSandboxConfig(path: string, env: Record<string, string | undefined>): SandboxConfig {
  const text = readFileSync(path, 'utf8').replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`${path} refers to the setting ${name}, which is not set.`);
    return value;
  });
  const parsed = sandboxConfigSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `${path} is not valid:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`,
    );
  }
  return parsed.data;
}

/** The sandbox's Microsoft Entra application, from the same settings the app's credential reads. */
export function sandboxIdentity(values: Record<string, string>): {
  tenantId: string;
  clientId: string;
  clientSecret: string;
} {
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: clientSecret } = values;
  if (!tenantId || !clientId || !clientSecret) {
    throw new Error(
      'AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET must be set for the sandbox identity.',
    );
  }
  return { tenantId, clientId, clientSecret };
}
