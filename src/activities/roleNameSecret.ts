import type { RotationServices } from '../rotationServices';
import { currentVersion } from './inspectSecret';
import { secretTags } from './secretTags';

/**
 * Makes `role` the current value of the secret that names the role a password logs in as, marked
 * with `mark` (the rotation, or its restore). A retry finds its mark on the current version and
 * writes nothing, so one that failed after the password was written still writes the role.
 */
export async function writeRoleName(
  services: RotationServices,
  userSecretUri: string,
  role: string,
  mark: string,
  expiresOn: Date,
): Promise<void> {
  const current = await currentVersion(services, userSecretUri);
  if (current?.tags[secretTags.rotation] === mark) return;
  await services.versions.write(userSecretUri, role, {
    expiresOn,
    contentType: 'text/plain',
    tags: { [secretTags.rotation]: mark, [secretTags.role]: role },
  });
}
