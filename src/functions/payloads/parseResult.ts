import type { z } from 'zod';

/**
 * One thing wrong with a payload: where it is (`data.target.digest`, `alertTargetIDs[0]`, or '' for
 * the payload as a whole) and what is wrong with it.
 */
export interface Problem {
  path: string;
  message: string;
}

/**
 * What a payload parser returns: the typed value, or every problem found at once, so that a 400
 * tells the sender everything to fix in one round.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Validates `input` against `schema`; use it in the parsers of external payloads. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: result.error.issues.map((i) => ({ path: toPath(i.path), message: i.message })) };
}

function toPath(keys: readonly PropertyKey[]): string {
  return keys
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}
