import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The function keys the local host enforces, as Azure keeps them: a master key, host keys that open
 * every function, per-function keys, and system keys for extension endpoints. Azure keeps these in
 * the host's key store; locally they come from the `Keys` section of local.settings.json.
 */
const keysSchema = z
  .object({
    master: z.string().min(16),
    host: z.record(z.string(), z.string().min(16)).default({}),
    functions: z.record(z.string(), z.record(z.string(), z.string().min(16))).default({}),
    system: z.record(z.string(), z.string().min(16)).default({}),
  })
  .strict();

const localSettingsSchema = z.object({
  IsEncrypted: z.literal(false).optional(),
  Values: z.record(z.string(), z.string()).default({}),
  Host: z
    .object({
      LocalHttpPort: z.coerce.number().int().min(0).max(65535).optional(),
    })
    .loose()
    .optional(),
  Keys: keysSchema.optional(),
});

export type HostKeys = z.infer<typeof keysSchema>;
export type LocalSettings = z.infer<typeof localSettingsSchema>;

/** Reads and validates local.settings.json; a missing file means no settings. */
export function readLocalSettings(path: string): LocalSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return localSettingsSchema.parse({});
    throw err;
  }
  const parsed = localSettingsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${path} is not valid:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
