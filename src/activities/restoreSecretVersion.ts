import { rotationExpiry } from '../domain/rotationDue';
import type { RotationServices } from '../rotationServices';
import type { RotatedSecret } from '../secretSettings';
import { currentVersion } from './inspectSecret';
import { secretTags } from './secretTags';

export const restoreSecretVersionActivity = 'restoreSecretVersion';

/** Tags a restored version carries so that a retried restore finds it. */
const restoredBy = (rotationId: string): string => `${rotationId}:restore`;

/**
 * Makes the value of `version` (the one current before the rotation) current again: Key Vault has no
 * "make this version current", so it is written again as a new version, with its role tag, expiring a
 * rotation period on. The value never leaves the adapter. A retry after the restore was written
 * returns that version.
 */
export function restoreSecretVersion(services: RotationServices) {
  return async (input: {
    secret: RotatedSecret;
    version: string;
    rotationId: string;
    /** When the orchestrator asked: the restored version expires a rotation period from then. */
    restoredAt: string;
  }): Promise<{ version: string }> => {
    const { secret, version, rotationId } = input;
    const current = await currentVersion(services, secret.keyVaultSecretUri);
    if (current?.tags[secretTags.rotation] === restoredBy(rotationId)) return { version: current.version };
    const earlier = (await services.versions.list(secret.keyVaultSecretUri)).find(
      (v) => v.version === version,
    );
    const role = earlier?.tags[secretTags.role];
    const expiresOn = new Date(rotationExpiry(Date.parse(input.restoredAt), secret.rotationDays));
    const restored = await services.versions.restore(secret.keyVaultSecretUri, version, {
      expiresOn,
      tags: {
        [secretTags.rotation]: restoredBy(rotationId),
        ...(role === undefined ? {} : { [secretTags.role]: role }),
      },
    });
    if (secret.kind === 'postgresRole' && secret.postgres.userSecretUri !== undefined && role !== undefined)
      await services.versions.write(secret.postgres.userSecretUri, role, {
        expiresOn,
        contentType: 'text/plain',
        tags: { [secretTags.rotation]: restoredBy(rotationId), [secretTags.role]: role },
      });
    return { version: restored.version };
  };
}
