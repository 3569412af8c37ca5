/**
 * What every Azure SDK client of Shepherd puts first in its User-Agent, so that Azure's activity log
 * (and the local sandbox, which records the ARM operations Shepherd calls) can tell Shepherd's
 * requests from a person's or another tool's.
 */
export const shepherdUserAgent = { userAgentOptions: { userAgentPrefix: 'shepherd' } } as const;
