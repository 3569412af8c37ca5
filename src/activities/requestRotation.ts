import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { Config } from '../config';
import type { RotationRequest } from '../orchestrations/rotationModel';
import type { RotatedSecret } from '../secretSettings';
import { startRotation } from '../secretControl';
import type { RotationStart } from '../secretControl';

/**
 * Starts a rotation the daily scan found due, through the durable client. Its id comes from the
 * secret's current version, so asking again (a retried activity, the near-expiry event) starts none.
 */
export function requestRotation(config: Config) {
  return async (
    input: { secret: RotatedSecret; rotationId: string; requestedBy: RotationRequest },
    context: InvocationContext,
  ): Promise<RotationStart> =>
    startRotation(df.getClient(context), config, input.secret, input.rotationId, input.requestedBy);
}
