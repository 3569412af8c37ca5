import { z } from 'zod';
import type { AuditQuery } from '../../azure/auditLog';
import { auditSubjectKinds } from '../../domain/auditEntry';
import { cleanupKinds } from '../../domain/cleanupPlan';
import type { AuditSubject, AuditSubjectKind } from '../../domain/auditEntry';
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
    environment: z.string().min(1).max(100).optional(),
    budget: z.string().min(1).max(100).optional(),
    cleanup: z.enum(cleanupKinds).optional(),
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
  .refine((q) => subjectsOf(q).length <= 1, {
    message: 'ask for one of target, secret, environment, budget or cleanup, not several',
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
  });

/** The subjects a query names: at most one is allowed. */
function subjectsOf(q: Partial<Record<AuditSubjectKind, string>>): AuditSubject[] {
  return auditSubjectKinds.flatMap((kind) => {
    const name = q[kind];
    return name === undefined ? [] : [{ kind, name }];
  });
}

/**
 * The audit query `GET /api/audit` asks for: `target`, `secret`, `environment` or `budget`, `from` (inclusive) and `to`
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
  const subject = subjectsOf(q)[0];
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
