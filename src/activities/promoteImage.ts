import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { FreezeStore } from '../azure/freezeStore';
import type { Config } from '../config';
import { startPromotion } from '../promotionControl';
import type { PromotionRequest, PromotionResult } from '../promotionControl';

/**
 * Starts the release of a successful release's image on the next target of its chain, through the
 * durable client. Its id comes from the next target and the digest, so running again starts none.
 */
export function promoteImage(config: Config, freezes: FreezeStore) {
  return (request: PromotionRequest, context: InvocationContext): Promise<PromotionResult> =>
    startPromotion(df.getClient(context), config, freezes, request);
}
