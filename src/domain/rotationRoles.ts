/** The roles of a two-role rotation: the one consumers use now, and the one that gets the new password. */
export interface RoleTurn {
  /** Undefined when the secret has never been written. */
  inUse: string | undefined;
  next: string;
}

/**
 * Which of the two roles that take turns gets the new password: the one not in use. `current` is the
 * role the secret's current version names; when it names neither (no version yet, or a role from
 * before Shepherd looked after the secret), the first role of the pair starts.
 */
export function nextRole(roles: readonly [string, string], current: string | undefined): RoleTurn {
  const [first, second] = roles;
  return { inUse: current, next: current === first ? second : first };
}
