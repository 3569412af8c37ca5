/**
 * `text` with every given secret (and its URL-encoded form) replaced by `…`, and whatever looks like
 * a credential besides: the password in a `postgres://user:password@` URL, `password=` pairs, bearer
 * tokens. Use it on any text from PostgreSQL, its programs or their libraries before it is logged,
 * stored or returned.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    // A very short "secret" would blank out ordinary words; real passwords and tokens are longer.
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      redacted = redacted.split(form).join('…');
  }
  return redacted
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1…@')
    .replace(/\b(password|pwd)\s*=\s*(?!…)('[^']*'|[^\s;]+)/gi, '$1=…')
    .replace(/\bBearer\s+[\w.~+/=-]+/gi, 'Bearer …');
}

/** The message of whatever was thrown, with `secrets` (and anything like a credential) redacted. */
export function redactedMessage(err: unknown, secrets: readonly string[]): string {
  return redactSecrets(err instanceof Error ? err.message : String(err), secrets);
}
