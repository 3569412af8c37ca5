import semver from 'semver';

/**
 * The orchestration version this build stamps on new instances. host.json's
 * `extensions.durableTask.defaultVersion` says the same (a test holds them together): raise both when
 * an orchestrator changes in a way that in-flight instances could not replay.
 */
export const currentOrchestrationVersion = '1.0';

/**
 * Which flow an instance of `version` runs, given the versions at which an orchestrator's code
 * changed (`introducedIn`): the newest not newer than the instance. An instance from before
 * versioning (no version) runs the oldest. Undefined when the instance is older than every flow kept,
 * which means a flow still in flight was deleted.
 */
export function flowVersionFor(
  introducedIn: readonly string[],
  version: string | undefined,
): string | undefined {
  const ordered = [...introducedIn].sort(compareOrchestrationVersions);
  if (version === undefined || version === '') return ordered[0];
  return ordered.filter((v) => compareOrchestrationVersions(v, version) <= 0).at(-1);
}

/** Orders versions such as `1.0` and `2.1` numerically (`1.10` after `1.9`), as the Durable extension does. */
export function compareOrchestrationVersions(a: string, b: string): number {
  const va = semver.coerce(a);
  const vb = semver.coerce(b);
  if (!va || !vb)
    throw new Error(`Orchestration versions must be numbers such as 1.0 or 2.1: '${a}', '${b}'.`);
  return semver.compare(va, vb);
}
