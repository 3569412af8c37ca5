import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { placeInQueue } from '../domain/targetQueue';
import { activeRotationsOf } from '../secretControl';

/**
 * The rotations of the same secret that were created before `rotationId` and still run, oldest first.
 * Starting a rotation checks for a running one first, but two asked for at the same moment (a person
 * and the near-expiry event) can both pass that check; each then asks this, and only the older goes on.
 */
export async function earlierRotations(
  input: { secret: string; rotationId: string },
  context: InvocationContext,
): Promise<string[]> {
  const active = await activeRotationsOf(df.getClient(context), input.secret);
  return placeInQueue(input.rotationId, active).earlier;
}
