import { z } from 'zod';

/** A string the payload must carry; says "is required" when it is missing. */
export const stringField = z.string({
  error: (issue) => (issue.input === undefined ? 'is required' : 'expected a string'),
});

/** A string the payload must carry, not empty. */
export const requiredString = stringField.min(1, 'must not be empty');

/** A date and time as Azure writes them: ISO 8601 with `Z` or an offset, fractions of any length. */
export const timestamp = z.iso.datetime({
  offset: true,
  error: (issue) =>
    issue.input === undefined
      ? 'is required'
      : 'expected an ISO 8601 date and time, e.g. 2025-04-15T17:53:32Z',
});

/**
 * Why a person asks for something (a rollback, an approval, a release): recorded in the release's
 * status, and kept short enough to read there.
 */
export const reasonText = z.string().trim().min(1, 'say why').max(1000, 'keep it under 1000 characters');
