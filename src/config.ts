import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';

/** The folder the app runs from: package.json's folder, two levels above this file once built. */
export const appRoot = join(__dirname, '..', '..');

const targetName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'expected lowercase letters, digits and dashes, starting with a letter or digit',
  );

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
        repository: z.string().regex(/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/, 'expected a repository name'),
      })
      .strict(),
  })
  .strict();

const targetsFileSchema = z
  .object({ targets: z.array(targetSchema) })
  .strict()
  .superRefine(({ targets }, ctx) => {
    const names = new Set<string>();
    const slots = new Set<string>();
    targets.forEach((t, i) => {
      if (names.has(t.name))
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'name'],
          message: `"${t.name}" is used by an earlier target`,
        });
      names.add(t.name);
      // Two targets on one slot would fight over its image and traffic.
      const slot =
        `${t.site.subscriptionId}/${t.site.resourceGroup}/${t.site.name}/${t.site.slot}`.toLowerCase();
      if (slots.has(slot))
        ctx.addIssue({
          code: 'custom',
          path: ['targets', i, 'site'],
          message: 'this site and slot belong to an earlier target',
        });
      slots.add(slot);
    });
  });

const settingsSchema = z.object({
  /** Durable Functions task hub; host.json reads it too. Azure Storage allows 3–45 letters and digits. */
  SHEPHERD_TASK_HUB: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, 'expected 3 to 45 letters and digits, starting with a letter'),
  /** Path of the targets file, relative to the app folder unless absolute. */
  SHEPHERD_TARGETS_FILE: z.string().min(1).default('targets.json'),
});

export type Target = z.infer<typeof targetSchema>;

export interface Config {
  version: string;
  taskHub: string;
  targetsFile: string;
  targets: Target[];
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

function readTargets(path: string): { targets: Target[] } | { problems: string[] } {
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
    ? { targets: parsed.data.targets }
    : { problems: describe(path, parsed.error.issues).map((p) => p.replace(`${path}.`, `${path}: `)) };
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
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return {
    version: pkg.version,
    taskHub: settings.data.SHEPHERD_TASK_HUB,
    targetsFile,
    targets: targets.targets,
  };
}
