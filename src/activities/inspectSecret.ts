import { AzureOperationError } from '../azure/azureOperationError';
import type { SecretVersionInfo } from '../azure/secretVersions';
import type { ExpiryMilestone } from '../domain/expiryNotice';
import { readPostgresUrl } from '../domain/postgresUrl';
import type { RotationServices } from '../rotationServices';
import type { ManagedSecret } from '../secretSettings';
import { noticesTold, secretTags } from './secretTags';

/** What Key Vault says of a managed secret now, without its value. */
export interface SecretState {
  /** The current version's id; null for a secret never written. */
  version: string | null;
  createdOn?: string;
  expiresOn?: string;
  /** For a two-role secret: the role the current value logs in as, when it can be told. */
  role?: string;
  /** The expiry notices already sent for the current version. */
  told: ExpiryMilestone[];
}

/**
 * Looks at a managed secret's current version: its id, age, expiry and the notices sent for it, and
 * for a two-role secret which role it logs in as (from Shepherd's tag, or read from the value itself
 * when Shepherd did not write it; the value never leaves this activity).
 */
export function inspectSecret(services: RotationServices) {
  return async (input: { secret: ManagedSecret }): Promise<SecretState> => {
    const { secret } = input;
    const current = await currentVersion(services, secret.keyVaultSecretUri);
    if (current === undefined) return { version: null, told: [] };
    const role = secret.kind === 'postgresRole' ? await roleOf(services, secret, current) : undefined;
    return {
      version: current.version,
      createdOn: current.createdOn.toISOString(),
      ...(current.expiresOn === undefined ? {} : { expiresOn: current.expiresOn.toISOString() }),
      ...(role === undefined ? {} : { role }),
      told: noticesTold(current.tags),
    };
  };
}

/** The secret's current version; undefined when the secret does not exist yet. */
export async function currentVersion(
  services: RotationServices,
  secretUri: string,
): Promise<SecretVersionInfo | undefined> {
  try {
    return await services.versions.current(secretUri);
  } catch (err) {
    if (err instanceof AzureOperationError && err.status === 404) return undefined;
    throw err;
  }
}

async function roleOf(
  services: RotationServices,
  secret: Extract<ManagedSecret, { kind: 'postgresRole' }>,
  current: SecretVersionInfo,
): Promise<string | undefined> {
  const tagged = current.tags[secretTags.role];
  if (tagged !== undefined) return tagged;
  const { holds, userSecretUri } = secret.postgres;
  if (holds === 'password')
    return userSecretUri === undefined ? undefined : (await services.reader.readSecret(userSecretUri)).trim();
  const reading = readPostgresUrl(await services.reader.readSecret(current.id));
  return 'url' in reading ? reading.url.user : undefined;
}
