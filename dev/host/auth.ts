import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HostKeys } from './settings';

export type AuthLevel = 'anonymous' | 'function' | 'admin';

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The key a caller presented: the `x-functions-key` header, else the `code` query parameter, as Azure reads it. */
export function presentedKey(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-functions-key'];
  if (typeof header === 'string' && header !== '') return header;
  return url.searchParams.get('code') ?? undefined;
}

function anyMatches(candidates: Iterable<string>, key: string): boolean {
  let found = false;
  // Check them all so that timing says nothing about which one matched.
  for (const candidate of candidates) found = secretsEqual(candidate, key) || found;
  return found;
}

/** Whether `key` opens a function at `level`: function keys, host keys or the master key, as in Azure. */
export function authorizeFunction(
  keys: HostKeys,
  level: AuthLevel,
  functionName: string,
  key: string | undefined,
): boolean {
  if (level === 'anonymous') return true;
  if (key === undefined) return false;
  if (secretsEqual(keys.master, key)) return true;
  if (level === 'admin') return false;
  return anyMatches([...Object.values(keys.host), ...Object.values(keys.functions[functionName] ?? {})], key);
}

/** Whether `key` opens an extension endpoint: that extension's system key or the master key. */
export function authorizeSystem(keys: HostKeys, extension: string, key: string | undefined): boolean {
  if (key === undefined) return false;
  const systemKey = keys.system[extension];
  return anyMatches(systemKey === undefined ? [keys.master] : [keys.master, systemKey], key);
}
