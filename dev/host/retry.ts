import type { RpcDuration, RpcRetryOptions } from './rpc';

function toMs(duration: RpcDuration | null | undefined): number {
  return (duration?.seconds ?? 0) * 1000 + Math.floor((duration?.nanos ?? 0) / 1e6);
}

/**
 * The wait before retry number `retry` (1-based) of a function with a retry policy, or undefined when
 * the policy allows no more; `maxRetryCount` -1 retries forever, as in Azure.
 */
export function delayBeforeRetry(options: RpcRetryOptions | undefined, retry: number): number | undefined {
  if (!options) return undefined;
  const max = options.maxRetryCount ?? 0;
  if (max !== -1 && retry > max) return undefined;
  if (options.retryStrategy === 'fixedDelay') return toMs(options.delayInterval);
  const min = toMs(options.minimumInterval);
  const cap = toMs(options.maximumInterval);
  return Math.min(min * 2 ** (retry - 1), cap > 0 ? cap : Number.POSITIVE_INFINITY);
}
