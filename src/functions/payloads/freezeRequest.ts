import { z } from 'zod';
import { reasonText, timestamp } from './fields';
import { parseWith } from './parseResult';
import type { ParseResult } from './parseResult';

/** A person's freeze of an environment: why, and until when if it should lift itself. */
export interface FreezeRequest {
  reason: string;
  until?: string;
}

/** A person's lift: why, and which freezes (by source) when not all of them. */
export interface LiftRequest {
  reason: string;
  source?: 'manual' | 'budget' | 'alert';
}

/** Reads `PUT /api/environments/{environment}/freeze`'s body; `until` must lie after `now`. */
export function parseFreezeRequest(body: unknown, now: number): ParseResult<FreezeRequest> {
  return parseWith(
    z
      .object({
        reason: reasonText,
        until: timestamp
          .refine((t) => Date.parse(t) > now, 'must lie in the future')
          .transform((t) => new Date(t).toISOString())
          .optional(),
      })
      .strict(),
    body,
  );
}

/** Reads `DELETE /api/environments/{environment}/freeze`'s body. */
export function parseLiftRequest(body: unknown): ParseResult<LiftRequest> {
  return parseWith(
    z.object({ reason: reasonText, source: z.enum(['manual', 'budget', 'alert']).optional() }).strict(),
    body,
  );
}
