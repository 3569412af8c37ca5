import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { plainDatabaseName } from './domain/backupName';

/** A database name Shepherd can dump, restore into and name blobs after. */
export const databaseName = z
  .string()
  .regex(
    plainDatabaseName,
    'expected up to 63 letters, digits, underscores and dashes, starting with a letter or underscore',
  );

/** A PostgreSQL role name as Shepherd accepts it (PostgreSQL allows 63 bytes). */
export const roleName = z.string().min(1).max(63);

/** A Key Vault secret URI, latest version unless it names one. */
export const keyVaultSecretUri = z
  .url()
  .regex(
    /^https:\/\/[^/?#]+\/secrets\/[A-Za-z0-9-]{1,127}(\/[A-Za-z0-9]{32})?\/?$/,
    'expected a Key Vault secret URI, https://<vault>.vault.azure.net/secrets/<name>[/<version>]',
  );

/** Where a PostgreSQL server is and how Shepherd's connection to it is secured. */
export const postgresServerFields = {
  /** The server's host name, e.g. contoso-db.postgres.database.azure.com. */
  host: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'expected a host name'),
  port: z.number().int().min(1).max(65535).default(5432),
  /**
   * Azure Database for PostgreSQL requires TLS. `verify-full` also checks the server's certificate
   * and name, so no one in between can take the password; `disable` is only for a local server.
   */
  sslMode: z.enum(['verify-full', 'require', 'disable']).default('verify-full'),
  /** A PEM file of the CAs trusted with `verify-full`, when not the machine's own bundle. */
  sslRootCert: z
    .string()
    .refine((path) => isAbsolute(path), 'expected an absolute path')
    .refine((path) => !isAbsolute(path) || existsSync(path), 'the file does not exist')
    .optional(),
};

/** How Shepherd signs in to a PostgreSQL server: a Key Vault secret, or its Microsoft Entra identity. */
export const postgresCredential = z.union([
  z
    .object({
      keyVaultSecretUri,
      /** What the secret holds; a connection string's host, port, user and password win over the fields here. */
      holds: z.enum(['password', 'connectionString']).default('password'),
    })
    .strict(),
  /** Passwordless: a Microsoft Entra token of the function app's identity. */
  z.object({ entra: z.literal(true) }).strict(),
]);
