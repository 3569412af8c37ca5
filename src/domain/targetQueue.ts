/** An instance (a target's release, a secret's rotation) that the durable runtime reports as running or pending. */
export interface ActiveInstance {
  id: string;
  createdTime: string;
}

/** Where a release stands among the other active releases of its target. */
export interface PlaceInQueue {
  /** Started before this one: they must stop (and roll back) before this one may touch the target. */
  earlier: string[];
  /** Started after this one: this one is superseded by the newest of them. */
  later: string[];
}

/**
 * Orders the active releases of one target by when they were created (ties broken by id, so every
 * release computes the same order) and places `releaseId` in it. The newest release wins: a push
 * supersedes every release that started before it.
 */
export function placeInQueue(releaseId: string, active: ActiveInstance[]): PlaceInQueue {
  const mine = active.find((r) => r.id === releaseId);
  const others = active.filter((r) => r.id !== releaseId);
  // A release not listed yet has only just been created: everything else came before it.
  const isEarlier = (r: ActiveInstance): boolean => mine === undefined || byAge(r, mine) < 0;
  return {
    earlier: others
      .filter(isEarlier)
      .sort(byAge)
      .map((r) => r.id),
    later: others
      .filter((r) => !isEarlier(r))
      .sort(byAge)
      .map((r) => r.id),
  };
}

function byAge(a: ActiveInstance, b: ActiveInstance): number {
  return Date.parse(a.createdTime) - Date.parse(b.createdTime) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
