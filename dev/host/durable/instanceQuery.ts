import type { InstanceState, RuntimeStatus } from './instanceState';

const runtimeStatuses: ReadonlySet<string> = new Set<RuntimeStatus>([
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Terminated',
]);

/** A true/false query parameter read as .NET's `bool.TryParse` reads it; undefined when absent or neither. */
export function queryOption(url: URL, name: string): boolean | undefined {
  const value = url.searchParams.get(name)?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** A time query parameter in epoch ms; undefined when absent or not a time (the extension then ignores it). */
function queryTime(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  const time = value === null ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** The statuses `runtimeStatus` names (comma-separated); unknown names are skipped, none means any. */
function queryStatuses(url: URL): Set<string> | undefined {
  const named = url.searchParams
    .getAll('runtimeStatus')
    .flatMap((v) => v.split(','))
    .filter((s) => runtimeStatuses.has(s));
  return named.length > 0 ? new Set(named) : undefined;
}

function createdBetween(state: InstanceState, from: number | undefined, to: number | undefined): boolean {
  const created = Date.parse(state.createdTime);
  return (from === undefined || created >= from) && (to === undefined || created <= to);
}

/** Which instances `GET /instances?...` lists: by creation time, status and instance id prefix. */
export function queryFilter(url: URL): (state: InstanceState) => boolean {
  const from = queryTime(url, 'createdTimeFrom');
  const to = queryTime(url, 'createdTimeTo');
  const statuses = queryStatuses(url);
  const prefix = url.searchParams.get('instanceIdPrefix');
  return (state) =>
    createdBetween(state, from, to) &&
    (!statuses || statuses.has(state.runtimeStatus)) &&
    (prefix === null || state.instanceId.startsWith(prefix));
}

/**
 * Which instances `DELETE /instances?...` purges, as `HandleDeleteHistoryWithFiltersRequestAsync` reads
 * the query: `createdTimeFrom` is required (undefined without it), `createdTimeTo` defaults to now, and
 * only `runtimeStatus` narrows it further; `instanceIdPrefix` is not read, so it does not narrow a purge.
 */
export function purgeFilter(url: URL, now: number): ((state: InstanceState) => boolean) | undefined {
  const from = queryTime(url, 'createdTimeFrom');
  if (from === undefined) return undefined;
  const to = queryTime(url, 'createdTimeTo') ?? now;
  const statuses = queryStatuses(url);
  return (state) => createdBetween(state, from, to) && (!statuses || statuses.has(state.runtimeStatus));
}
