import type { InvocationContext } from '@azure/functions';
import { AzureOperationError } from '../azure/azureOperationError';

/**
 * What an activity that calls Azure answers: its value, or how Azure refused (the HTTP status, its
 * code and its explanation, already free of tokens and signed URLs). The release decides from the
 * status whether trying again can help; a failure it did not foresee is thrown as usual.
 */
export type AzureStepResult<T> =
  | { ok: true; value: T }
  | { ok: false; status?: number | undefined; code?: string | undefined; reason: string };

/**
 * Wraps an activity handler so that Azure's refusals (`AzureOperationError`) come back as results
 * the orchestrator can reason about, instead of failures whose HTTP status would be lost on the way.
 */
export function azureStep<I, T>(
  handler: (input: I, context: InvocationContext) => Promise<T>,
): (input: I, context: InvocationContext) => Promise<AzureStepResult<T>> {
  return async (input, context) => {
    try {
      return { ok: true, value: await handler(input, context) };
    } catch (err) {
      if (!(err instanceof AzureOperationError)) throw err;
      context.warn(err.message);
      return { ok: false, status: err.status, code: err.code, reason: err.message };
    }
  };
}
