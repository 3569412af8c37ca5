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
