import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented secret with the expected one in time that says nothing about where they differ. */
export function secretsEqual(presented: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
