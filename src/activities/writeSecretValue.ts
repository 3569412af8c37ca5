import { PostgresToolError } from '../azure/postgresToolError';
import { redactSecrets } from '../azure/postgresSecrets';
import { toPostgresUrl } from '../domain/postgresUrl';
import { randomSecret } from '../domain/randomSecret';
import { rotationExpiry } from '../domain/rotationDue';
import type { RotationRequest } from '../orchestrations/rotationModel';
import type { RotationServices } from '../rotationServices';
import type { PostgresRoleSecret, RotatedSecret } from '../secretSettings';
import { currentVersion } from './inspectSecret';
import { writeRoleName } from './roleNameSecret';
import { secretTags, tagValue } from './secretTags';

export interface WriteSecretValueInput {
  secret: RotatedSecret;
  /** For a two-role secret: the role that gets the new password (the one not in use). */
  role?: string | undefined;
  rotationId: string;
  requestedBy: RotationRequest;
  /** When the orchestrator asked (`currentUtcDateTime`): the new version expires from then. */
  writtenAt: string;
}

/**
 * Passwords are printable ASCII (the same to every PostgreSQL client) and URL-safe: 40 characters of
 * base64url carry 240 bits.
 */
const passwordSpec = { length: 40, alphabet: 'base64url' } as const;

/**
 * Makes the secret's new value, applies it where it lives and writes it to Key Vault as a new
 * version, tagged with the rotation, role, requester and reason, expiring `rotationDays + 30` days on.
 * For a two-role secret the role not in use gets a fresh password, which must log in before anything
 * is written. The value exists only inside this activity: it is never returned, logged or thrown. A
 * retry after the version was written returns that version instead of writing another, and still
 * writes the role a password logs in as when the try before stopped short of it.
 */
export function writeSecretValue(services: RotationServices) {
  return async (input: WriteSecretValueInput): Promise<{ version: string }> => {
    const { secret, rotationId } = input;
    const expiresOn = new Date(rotationExpiry(Date.parse(input.writtenAt), secret.rotationDays));
    const current = await currentVersion(services, secret.keyVaultSecretUri);
    const version =
      current?.tags[secretTags.rotation] === rotationId
        ? current.version
        : await writeNewValue(services, input, expiresOn);
    if (secret.kind === 'postgresRole' && secret.postgres.userSecretUri !== undefined)
      await writeRoleName(services, secret.postgres.userSecretUri, roleOf(input), rotationId, expiresOn);
    return { version };
  };
}

/** Makes the new value, applies it where it lives and writes it as the secret's new version. */
async function writeNewValue(
  services: RotationServices,
  input: WriteSecretValueInput,
  expiresOn: Date,
): Promise<string> {
  const { secret } = input;
  const value =
    secret.kind === 'generated'
      ? randomSecret(secret.generated)
      : await newRoleCredential(services, secret, roleOf(input));
  const written = await services.versions.write(secret.keyVaultSecretUri, value, {
    expiresOn,
    contentType:
      secret.kind === 'postgresRole' && secret.postgres.holds === 'connectionString'
        ? 'postgres-url'
        : 'text/plain',
    tags: {
      [secretTags.rotation]: input.rotationId,
      ...(input.role === undefined ? {} : { [secretTags.role]: input.role }),
      [secretTags.requestedBy]: tagValue(`${input.requestedBy.via}: ${input.requestedBy.by}`),
      [secretTags.reason]: tagValue(input.requestedBy.reason),
    },
  });
  return written.version;
}

function roleOf(input: WriteSecretValueInput): string {
  if (input.role === undefined) throw new Error('A two-role rotation needs the role that gets the password.');
  return input.role;
}

/**
 * Gives `role` a fresh password and proves it logs in to the consumers' database; returns what the
 * secret holds: the connection URL, or the password alone.
 */
async function newRoleCredential(
  services: RotationServices,
  secret: PostgresRoleSecret,
  role: string,
): Promise<string> {
  const { host, port, database, sslMode, sslRootCert, holds } = secret.postgres;
  const password = randomSecret(passwordSpec);
  const admin = await services.adminConnection(secret);
  await services.roles.setPassword(admin, role, password);
  const proof = await services.roles.proveLogin({
    host,
    port,
    database,
    user: role,
    password,
    sslMode,
    ...(sslRootCert === undefined ? {} : { sslRootCert }),
  });
  if (!proof.ok)
    throw new PostgresToolError(
      `prove the new password of role ${role}`,
      redactSecrets(`it does not log in to ${database}: ${proof.reason}`, [password]),
    );
  if (holds === 'password') return password;
  return toPostgresUrl({ user: role, password, host, port, database, params: { sslmode: sslMode } });
}
