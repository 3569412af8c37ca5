/**
 * How the command line ends, for scripts: 0 when it did what was asked (and a followed release
 * succeeded), 1 when a followed release ended any other way, 2 for a command line it cannot run, 3
 * when Shepherd refused the request or could not be reached.
 */
export const exitCodes = { ok: 0, releaseDidNotSucceed: 1, usage: 2, requestFailed: 3 } as const;
