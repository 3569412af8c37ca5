import { z } from 'zod';
import { databaseName, postgresCredential, postgresServerFields, roleName } from './databaseSettings';

/** Shepherd's name for a managed secret, as routes name it: `/api/secrets/{name}`. */
const secretName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'expected lowercase letters, digits and dashes, starting with a letter or digit',
  );

/** A Key Vault secret without a version: Shepherd writes its versions, and consumers follow the latest. */
const versionlessSecretUri = z
  .url()
  .regex(
    /^https:\/\/[^/?#]+\/secrets\/[A-Za-z0-9-]{1,127}\/?$/,
    'expected a Key Vault secret URI without a version, https://<vault>.vault.azure.net/secrets/<name>',
  );

/** What every managed secret says: where it lives, who uses it and who is told. */
const managedSecretFields = {
  name: secretName,
  keyVaultSecretUri: versionlessSecretUri,
  /**
   * The targets whose app settings reference the secret (`@Microsoft.KeyVault(...)`, versionless):
   * they are switched to each new version and proven to work with it, and their people are told.
   */
  consumers: z.array(z.string().min(1)).min(1, 'name at least one target that uses the secret'),
  /** How long a notice comes before a secret Shepherd cannot rotate expires: two weeks to act. */
  noticeDays: z.number().int().min(1).max(365).default(14),
};

/** How often a secret Shepherd rotates gets a new value: 90 days, as Azure's rotation samples do. */
const rotationDays = z.number().int().min(1).max(3650).default(90);

const postgresRoleSecret = z
  .object({
    ...managedSecretFields,
    kind: z.literal('postgresRole'),
    rotationDays,
    postgres: z
      .object({
        ...postgresServerFields,
        /** The consumers' database: the new credential must log in to it, and their sessions are seen there. */
        database: databaseName,
        /**
         * Two login roles that take turns: each rotation gives the one not in use a new password and
         * makes it current, while the one in use keeps working for apps that have not switched yet.
         */
        roles: z
          .tuple([roleName, roleName])
          .refine(([a, b]) => a !== b, 'expected two different roles that take turns'),
        /**
         * What the secret holds: a `postgres://role:password@host:port/database` URL (the role travels
         * with its password), or the password alone, with the role in a second secret the consumers
         * also reference (`userSecretUri`).
         */
        holds: z.enum(['connectionString', 'password']).default('connectionString'),
        userSecretUri: versionlessSecretUri.optional(),
        /** The role Shepherd changes passwords with (it needs CREATEROLE, or to own the two roles). */
        admin: z.object({ user: roleName, credential: postgresCredential }).strict(),
      })
      .strict()
      .refine((p) => (p.holds === 'password') === (p.userSecretUri !== undefined), {
        message:
          'a secret that holds a password needs userSecretUri (the role the consumers log in as), and only then',
        path: ['userSecretUri'],
      }),
  })
  .strict();

const generatedSecret = z
  .object({
    ...managedSecretFields,
    kind: z.literal('generated'),
    rotationDays,
    /** A random value from a CSPRNG: 48 characters of base64url carry 288 bits. */
    generated: z
      .object({
        length: z.number().int().min(16).max(1024).default(48),
        alphabet: z.enum(['base64url', 'alphanumeric', 'hex']).default('base64url'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** A secret Shepherd cannot rotate (a third party's key): it tracks its expiry and tells people. */
const manualSecret = z.object({ ...managedSecretFields, kind: z.literal('manual') }).strict();

/** One secret of the targets file's `secrets` list. */
export const managedSecretSchema = z.discriminatedUnion('kind', [
  postgresRoleSecret,
  generatedSecret,
  manualSecret,
]);

export type ManagedSecret = z.infer<typeof managedSecretSchema>;
/** A secret Shepherd rotates itself. */
export type RotatedSecret = Exclude<ManagedSecret, { kind: 'manual' }>;
export type PostgresRoleSecret = Extract<ManagedSecret, { kind: 'postgresRole' }>;
