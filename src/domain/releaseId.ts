/**
 * The durable instance id of the release of `digest` to `target`. The same push delivered twice, by
 * the webhook or Event Grid or both, names the same instance, so it starts one release. 24 hex
 * digits of the digest (96 bits) keep it under the 100 characters instance ids may have.
 */
export function releaseInstanceId(target: string, digest: string): string {
  return `${releaseIdPrefix(target)}${digestHex(digest).slice(0, 24)}`;
}

/**
 * The instance id of a release a person asked for (`POST /api/targets/{target}/releases`): a new
 * attempt of `digest` on `target`, beside the push's own release and any earlier attempts. `unique`
 * (8 lowercase hex digits, random per request) tells attempts of one digest apart. It keeps the
 * target's release prefix and names the digest by its first 12 hex digits, so the longest target
 * name stays within 100 characters; the `-manual-` between them keeps it apart from push ids.
 */
export function attemptInstanceId(target: string, digest: string, unique: string): string {
  if (!/^[0-9a-f]{8}$/.test(unique)) throw new Error('unique must be 8 lowercase hex digits');
  return `${releaseIdPrefix(target)}${digestHex(digest).slice(0, 12)}-manual-${unique}`;
}

function digestHex(digest: string): string {
  return digest.replace(/^sha256:/i, '').toLowerCase();
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
