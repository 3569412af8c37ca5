import { rotationExpiry } from '../domain/rotationDue';
import type { RotationServices } from '../rotationServices';
import type { RotatedSecret } from '../secretSettings';
import { currentVersion } from './inspectSecret';
import { writeRoleName } from './roleNameSecret';
import { secretTags } from './secretTags';

/** Tags a restored version carries so that a retried restore finds it. */
const restoredBy = (rotationId: string): string => `${rotationId}:restore`;

/**
 * Makes the value of `version` (the one current before the rotation) current again: Key Vault has no
 * "make this version current", so it is written again as a new version, with its role tag, expiring a
 * rotation period on, and the role it logs in as with it. The value never leaves the adapter. A retry
 * after the restore was written returns that version and still puts the role back.
 */
export function restoreSecretVersion(services: RotationServices) {
  return async (input: {
    secret: RotatedSecret;
    version: string;
    /** The role `version` logs in as, as the rotation found it; else its tag says. */
    role?: string | undefined;
    rotationId: string;
    /** When the orchestrator asked: the restored version expires a rotation period from then. */
    restoredAt: string;
  }): Promise<{ version: string }> => {
    const { secret, version } = input;
    const mark = restoredBy(input.rotationId);
    const expiresOn = new Date(rotationExpiry(Date.parse(input.restoredAt), secret.rotationDays));
    const current = await currentVersion(services, secret.keyVaultSecretUri);
    const earlier = (await services.versions.list(secret.keyVaultSecretUri)).find(
      (v) => v.version === version,
    );
    const role = input.role ?? earlier?.tags[secretTags.role];
    const restored =
      current?.tags[secretTags.rotation] === mark
        ? current.version
        : (
            await services.versions.restore(secret.keyVaultSecretUri, version, {
              expiresOn,
              tags: {
                [secretTags.rotation]: mark,
                ...(role === undefined ? {} : { [secretTags.role]: role }),
              },
            })
          ).version;
    if (secret.kind === 'postgresRole' && secret.postgres.userSecretUri !== undefined && role !== undefined)
      await writeRoleName(services, secret.postgres.userSecretUri, role, mark, expiresOn);
    return { version: restored };
  };
}
