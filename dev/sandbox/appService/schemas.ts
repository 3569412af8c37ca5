import { z } from 'zod';

const rampUpRule = z
  .object({
    name: z.string().min(1),
    actionHostName: z.string().nullish(),
    reroutePercentage: z.number().min(0).max(100),
    changeStep: z.number().nullish(),
    changeIntervalInMinutes: z.number().nullish(),
    minReroutePercentage: z.number().nullish(),
    maxReroutePercentage: z.number().nullish(),
    changeDecisionCallbackUrl: z.string().nullish(),
  })
  .loose();

/** The body of a `config/web` PUT or PATCH: SiteConfig properties, with routing rules checked. */
export const siteConfigBody = z.object({
  properties: z
    .object({
      linuxFxVersion: z.string().optional(),
      experiments: z
        .object({ rampUpRules: z.array(rampUpRule).nullish() })
        .loose()
        .optional()
        .refine((e) => (e?.rampUpRules ?? []).reduce((sum, r) => sum + r.reroutePercentage, 0) <= 100, {
          message: 'The routing rules send more than 100% of the traffic away from production.',
        }),
    })
    .loose(),
});

export const appSettingsBody = z.object({ properties: z.record(z.string(), z.string()) });

export const slotConfigNamesBody = z.object({
  properties: z.object({
    appSettingNames: z.array(z.string()).nullish(),
    connectionStringNames: z.array(z.string()).nullish(),
    azureStorageConfigNames: z.array(z.string()).nullish(),
  }),
});

export const swapBody = z.object({ targetSlot: z.string().min(1), preserveVnet: z.boolean().optional() });

export const siteUpdateBody = z.object({ tags: z.record(z.string(), z.string()).optional() }).loose();

/** `Microsoft.Resources/tags/default` PATCH: Merge adds or changes, Replace sets all, Delete removes. */
export const tagsPatchBody = z.object({
  operation: z.enum(['Merge', 'Replace', 'Delete']),
  properties: z.object({ tags: z.record(z.string(), z.string()) }),
});
