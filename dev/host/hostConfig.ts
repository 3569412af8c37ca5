import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OverridableStates } from './durable/engine';
import { noVersioning } from './durable/versioning';
import type { VersionPolicy } from './durable/versioning';

const hostJsonSchema = z.object({
  version: z.literal('2.0'),
  extensions: z
    .object({
      http: z.object({ routePrefix: z.string().optional() }).loose().optional(),
      durableTask: z
        .object({
          hubName: z.string().optional(),
          overridableExistingInstanceStates: z.enum(['AnyState', 'NonRunningStates']).optional(),
          defaultVersion: z.string().nullable().optional(),
          versionMatchStrategy: z.enum(['None', 'Strict', 'CurrentOrOlder']).optional(),
          versionFailureStrategy: z.enum(['Reject', 'Fail']).optional(),
        })
        .loose()
        .optional(),
    })
    .loose()
    .optional(),
});

/** What the local host takes from host.json, with `%Setting%` references resolved. */
export interface HostConfig {
  routePrefix: string;
  taskHub: string;
  overridableStates: OverridableStates;
  versions: VersionPolicy;
}

export function readHostConfig(appDir: string, env: NodeJS.ProcessEnv): HostConfig {
  const parsed = hostJsonSchema.safeParse(JSON.parse(readFileSync(join(appDir, 'host.json'), 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `host.json is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const resolve = (value: string): string =>
    value.replace(/%([^%]+)%/g, (_, name: string) => {
      const setting = env[name];
      if (setting === undefined)
        throw new Error(`host.json refers to the app setting ${name}, which is not set.`);
      return setting;
    });
  const extensions = parsed.data.extensions;
  const durable = extensions?.durableTask;
  return {
    routePrefix: (extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, ''),
    // The Durable extension's default hub name for v2+ apps.
    taskHub: resolve(durable?.hubName ?? 'TestHubName'),
    overridableStates: durable?.overridableExistingInstanceStates ?? 'AnyState',
    versions: {
      ...(durable?.defaultVersion ? { defaultVersion: durable.defaultVersion } : {}),
      match: durable?.versionMatchStrategy ?? noVersioning.match,
      failure: durable?.versionFailureStrategy ?? noVersioning.failure,
    },
  };
}
