import { z } from 'zod';

/**
 * How a sandbox image misbehaves, set when it is pushed (`npm run sandbox -- push repo:tag errorRate=0.3`),
 * so that a bad release is really bad: the slot running it serves errors, is slow, fails its health
 * check, starts slowly or crashes.
 */
export const imageFaultsSchema = z
  .object({
    /** Share of requests (0–1) answered with 500. */
    errorRate: z.coerce.number().min(0).max(1).default(0),
    /** Added to every response, in milliseconds. */
    latencyMs: z.coerce.number().int().min(0).default(0),
    /** The health endpoint answers 503. */
    unhealthy: z.stringbool().default(false),
    /** Milliseconds before the app starts listening. */
    startDelayMs: z.coerce.number().int().min(0).default(0),
    /** The process exits after this many requests (0: never). */
    crashAfterRequests: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export type ImageFaults = z.infer<typeof imageFaultsSchema>;

/** Parses `name=value` words from the push command into faults, naming any bad one. */
export function parseFaults(words: string[]): ImageFaults {
  const raw: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0)
      throw new Error(
        `"${word}" is not name=value; known faults: ${Object.keys(imageFaultsSchema.shape).join(', ')}`,
      );
    raw[word.slice(0, eq)] = word.slice(eq + 1);
  }
  const parsed = imageFaultsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'faults'}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}
