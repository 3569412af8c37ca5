import type { z } from 'zod';

/**
 * Reads an answer of Shepherd's in the shape a table needs. An answer of another shape (a newer or
 * older Shepherd) is said plainly, pointing to `--json`, which prints any answer as it came.
 */
export function readAnswer<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join('.') ?? '';
  throw new UnexpectedAnswer(
    `Shepherd's answer to ${what} is not in the shape this command line knows (at "${where}"); --json prints it as it came.`,
  );
}

/** Shepherd answered, but not in a shape the table knows. */
export class UnexpectedAnswer extends Error {
  override readonly name = 'UnexpectedAnswer';
}
