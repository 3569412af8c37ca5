import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { FreezeStore } from '../azure/freezeStore';
import type { Config } from '../config';
import type { Freeze } from '../domain/freeze';
import { releasesRunningIn } from '../freezeControl';

/**
 * Sets each freeze (its `releasesRunning` filled in here: the releases running on what it holds, which
 * may finish) unless one of the same scope and cause holds already. Answers the freezes that hold,
 * each with whether it began now; setting them again is harmless, so the activity may repeat.
 */
export function setFreezes(config: Config, store: FreezeStore) {
  return async (
    input: { freezes: Freeze[] },
    context: InvocationContext,
  ): Promise<{ freeze: Freeze; began: boolean }[]> => {
    const client = df.getClient(context);
    const held: { freeze: Freeze; began: boolean }[] = [];
    for (const freeze of input.freezes) {
      const releasesRunning = await releasesRunningIn(client, config, freeze.scope);
      held.push(await store.begin({ ...freeze, releasesRunning }));
    }
    return held;
  };
}
