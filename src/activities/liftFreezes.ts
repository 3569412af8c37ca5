import type { FreezeStore } from '../azure/freezeStore';
import type { Freeze, FreezeScope } from '../domain/freeze';

/** Lifts each freeze still holding; answers those it lifted. Lifting again is harmless. */
export function liftFreezes(store: FreezeStore) {
  return async (input: {
    freezes: { scope: FreezeScope; id: string }[];
    lifted: NonNullable<Freeze['lifted']>;
  }): Promise<Freeze[]> => {
    const lifted: Freeze[] = [];
    for (const { scope, id } of input.freezes) {
      const done = await store.lift(scope, id, input.lifted);
      if (done !== undefined) lifted.push(done);
    }
    return lifted;
  };
}
