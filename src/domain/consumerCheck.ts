/** What a look at one consumer of a secret found. */
export interface ConsumerLook {
  /** Each slot's Key Vault reference to the secret: whether it resolved, and to which version. */
  references: { slot: string; status: string; activeVersion: string | null }[];
  /** Whether the app answered healthy on its health path, and what it answered. */
  healthy: boolean;
  healthDetail: string;
  /** Sessions on the role the rotation made current, for a two-role rotation. */
  roleSessions?: number;
}

/**
 * Whether a consumer is proven on `version`: every slot's reference resolved to it, the app answers
 * healthy, and, for a two-role rotation, the database shows sessions on the new role. The detail
 * says what is still missing.
 */
export function judgeConsumer(look: ConsumerLook, version: string): { verified: boolean; detail: string } {
  const behind = look.references.filter((r) => r.status !== 'Resolved' || r.activeVersion !== version);
  if (look.references.length === 0)
    return { verified: false, detail: 'no app setting references the secret' };
  if (behind.length > 0)
    return {
      verified: false,
      detail: behind
        .map(
          (r) =>
            `${r.slot}'s reference is ${r.status}${r.activeVersion === null ? '' : ` on ${r.activeVersion}`}`,
        )
        .join('; '),
    };
  if (!look.healthy) return { verified: false, detail: look.healthDetail };
  if (look.roleSessions === 0)
    return { verified: false, detail: 'the database shows no session on the new role yet' };
  return {
    verified: true,
    detail:
      look.roleSessions === undefined
        ? `on ${version} and healthy`
        : `on ${version}, healthy, ${look.roleSessions} session(s) on the new role`,
  };
}
