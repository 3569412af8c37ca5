/**
 * Orchestration versioning as the Durable extension does it (host.json `defaultVersion`,
 * `versionMatchStrategy`, `versionFailureStrategy`; learn.microsoft.com "Orchestration versioning",
 * durable-functions 3.3.0+ with extension bundle 4.30.0+): each new instance is stamped with the
 * worker's `defaultVersion`, and a worker runs only the instances its strategy lets it.
 */
export type VersionMatchStrategy = 'None' | 'Strict' | 'CurrentOrOlder';
export type VersionFailureStrategy = 'Reject' | 'Fail';

export interface VersionPolicy {
  /** The version new instances and sub-orchestrations get; unset, versioning is off. */
  defaultVersion?: string;
  match: VersionMatchStrategy;
  failure: VersionFailureStrategy;
}

/** The extension's defaults: newer workers run older instances, and a mismatch leaves the work queued. */
export const noVersioning: VersionPolicy = { match: 'CurrentOrOlder', failure: 'Reject' };

/** What a worker does with an instance of `instanceVersion`: run it, leave it for another worker, or fail it. */
export function versionVerdict(
  policy: VersionPolicy,
  instanceVersion: string | undefined,
): 'run' | 'reject' | 'fail' {
  // `"defaultVersion": null` is the same as none: the worker takes every instance.
  if (policy.defaultVersion === undefined || policy.match === 'None') return 'run';
  const order = compareVersions(instanceVersion, policy.defaultVersion);
  const runs = policy.match === 'Strict' ? order === 0 : order <= 0;
  if (runs) return 'run';
  return policy.failure === 'Fail' ? 'fail' : 'reject';
}

/**
 * The extension's comparison: empty or missing versions are equal and older than any other; two that
 * parse as .NET `System.Version` (two to four dot-separated whole numbers) compare part by part;
 * anything else compares as text, ignoring case.
 */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  const emptyA = a === undefined || a === '';
  const emptyB = b === undefined || b === '';
  if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? -1 : 1;
  const partsA = dotNetVersion(a);
  const partsB = dotNetVersion(b);
  if (partsA && partsB) {
    // System.Version counts a missing build or revision as lower than any given one.
    for (let i = 0; i < 4; i++) {
      const diff = (partsA[i] ?? -1) - (partsB[i] ?? -1);
      if (diff !== 0) return Math.sign(diff);
    }
    return 0;
  }
  const upperA = a.toUpperCase();
  const upperB = b.toUpperCase();
  return upperA < upperB ? -1 : upperA > upperB ? 1 : 0;
}

function dotNetVersion(text: string): number[] | undefined {
  if (!/^\s*\d+(\.\d+){1,3}\s*$/.test(text)) return undefined;
  const parts = text.trim().split('.').map(Number);
  return parts.every((p) => p <= 2_147_483_647) ? parts : undefined;
}
