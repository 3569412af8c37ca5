/** The prefix every rotation id of secret `name` starts with, to find its rotations. */
export function rotationIdPrefix(name: string): string {
  return `rotation:${name}:`;
}

/**
 * The durable instance id of the rotation of secret `name` away from its current version `version`
 * (none yet: `first`). Whatever asks for it (the near-expiry event, delivered twice or late; the
 * daily scan; a person), the same current version names the same rotation, so it runs once.
 */
export function rotationInstanceId(name: string, version: string | null): string {
  return `${rotationIdPrefix(name)}${version ?? 'first'}`;
}

/**
 * The instance id of a rotation a person asked for: new every time (`unique`), so a person can rotate
 * again from a version a failed or refused rotation left current; it keeps the secret's prefix.
 */
export function requestedRotationId(name: string, version: string | null, unique: string): string {
  return `${rotationInstanceId(name, version)}-${unique}`;
}
