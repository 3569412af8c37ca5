import { z } from 'zod';
import type { AuditQuery } from '../../azure/auditLog';
import { timestamp } from './fields';
import { parseWith } from './parseResult';
import type { ParseResult } from './parseResult';

/** How many entries a page holds unless `top` says, and at most. */
export const auditPageDefault = 50;
export const auditPageMax = 200;

const query = z
  .object({
    target: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a target name')
      .optional(),
    secret: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,127}$/, 'expected a Key Vault secret name')
      .optional(),
    from: timestamp.optional(),
    to: timestamp.optional(),
    top: z
      .string()
      .regex(/^\d+$/, `expected a whole number from 1 to ${auditPageMax}`)
      .transform(Number)
      .refine((n) => n >= 1 && n <= auditPageMax, `expected a whole number from 1 to ${auditPageMax}`)
      .default(auditPageDefault),
    continuation: z.string().min(1).optional(),
  })
  .strict()
  .refine((q) => q.target === undefined || q.secret === undefined, {
    message: 'ask for a target or a secret, not both',
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
  });

/**
 * The audit query `GET /api/audit` asks for: `target` or `secret`, `from` (inclusive) and `to`
 * (exclusive) as ISO 8601 times, `top`, `continuation`. Any other parameter is refused, so a typo
 * cannot widen the answer unnoticed; `code` (the function key) is the host's, not the query's.
 */
export function parseAuditQuery(params: URLSearchParams): ParseResult<AuditQuery> {
  const given: Record<string, string> = {};
  params.forEach((value, name) => {
    if (name !== 'code') given[name] = value;
  });
  const parsed = parseWith(query, given);
  if (!parsed.ok) return parsed;
  const q = parsed.value;
  const subject =
    q.target !== undefined
      ? { kind: 'target' as const, name: q.target }
      : q.secret !== undefined
        ? { kind: 'secret' as const, name: q.secret }
        : undefined;
  return {
    ok: true,
    value: {
      subject,
      from: q.from === undefined ? undefined : Date.parse(q.from),
      to: q.to === undefined ? undefined : Date.parse(q.to),
      top: q.top,
      continuation: q.continuation,
    },
  };
}
