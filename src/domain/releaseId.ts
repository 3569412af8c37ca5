/**
 * The durable instance id of the release of `digest` to `target`. The same push delivered twice, by
 * the webhook or Event Grid or both, names the same instance, so it starts one release. 24 hex
 * digits of the digest (96 bits) keep it under the 100 characters instance ids may have.
 */
export function releaseInstanceId(target: string, digest: string): string {
  const hex = digest.replace(/^sha256:/, '').toLowerCase();
  return `${releaseIdPrefix(target)}${hex.slice(0, 24)}`;
}

/** The prefix every release id of `target` starts with, to find the target's releases. */
export function releaseIdPrefix(target: string): string {
  return `release:${target}:`;
}

/**
 * The instance id of a rollback that puts the target's known good image back. It shares the
 * target's release prefix, so it queues behind, and is listed with, the target's releases.
 */
export function rollbackInstanceId(target: string, unique: string): string {
  return `${releaseIdPrefix(target)}rollback-${unique}`;
}
