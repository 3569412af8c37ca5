import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** The `password_encryption` settings Shepherd can hash for, as PostgreSQL 10 and newer name them. */
export type PasswordEncryption = 'scram-sha-256' | 'md5';

/** libpq's salt length and, before PostgreSQL 16 made it `scram_iterations`, its only iteration count. */
const scramSaltBytes = 16;
export const defaultScramIterations = 4096;

/**
 * The password as PostgreSQL stores it, made here as libpq's `PQencryptPasswordConn` makes it, so that
 * `ALTER ROLE … PASSWORD` carries no cleartext: the server stores a hashed value as it is (docs:
 * CREATE ROLE, `PASSWORD`), and only the hash can reach its logs or statement statistics.
 *
 * - `scram-sha-256`: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, RFC 5802's keys
 *   from PBKDF2-HMAC-SHA-256 (the format of PostgreSQL's `scram_build_secret`).
 * - `md5`: `md5` and the hex MD5 of the password followed by the role name.
 *
 * `password` must be printable ASCII, which SASLprep leaves as it is; other text would be normalised
 * by libpq but not by node-postgres, so the two kinds of client could disagree on it.
 */
export function hashPassword(
  password: string,
  role: string,
  encryption: PasswordEncryption,
  scram: { iterations: number; salt?: Buffer } = { iterations: defaultScramIterations },
): string {
  if (!/^[\x20-\x7e]+$/.test(password))
    throw new Error('the password must be printable ASCII characters, and at least one');
  if (encryption === 'md5')
    return `md5${createHash('md5')
      .update(password + role)
      .digest('hex')}`;
  const salt = scram.salt ?? randomBytes(scramSaltBytes);
  const salted = pbkdf2Sync(password, salt, scram.iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${scram.iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * The encryption a server's `password_encryption` setting asks for; `on` is how PostgreSQL 13 and
 * older spell `md5`. Undefined for anything else (`off`, plain text, went in PostgreSQL 10).
 */
export function toPasswordEncryption(setting: string): PasswordEncryption | undefined {
  const value = setting.trim().toLowerCase();
  if (value === 'scram-sha-256') return 'scram-sha-256';
  return value === 'md5' || value === 'on' ? 'md5' : undefined;
}
