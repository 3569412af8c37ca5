import * as df from 'durable-functions';
import type {
  DurableClient,
  DurableOrchestrationStatus,
  OrchestrationRuntimeStatus,
} from 'durable-functions';
import { z } from 'zod';
import type { ActiveInstance } from '../domain/targetQueue';

/** Which instances of the task hub to list. */
export interface InstanceQuery {
  /** Only instances whose id starts with this, e.g. `release:web:`; every instance when not given. */
  instanceIdPrefix?: string;
  /** Only instances in these states; any state when not given. */
  runtimeStatus?: readonly OrchestrationRuntimeStatus[];
  /** Only instances created at or before this time (the API's `createdTimeTo`). */
  createdTimeTo?: Date;
  /** Whether each status carries the instance's input; false by default. */
  showInput?: boolean;
  /** How many instances the task hub answers per page (its `top`); every page is read. */
  pageSize?: number;
}

/** The parts of the durable client binding the query needs, as durable-functions keeps them. */
const clientDataSchema = z.object({
  rpcBaseUrl: z.string().nullish(),
  managementUrls: z.object({ id: z.string(), statusQueryGetUri: z.string() }),
});

const statusSchema = z.object({
  name: z.string(),
  instanceId: z.string(),
  runtimeStatus: z.enum(df.OrchestrationRuntimeStatus),
  createdTime: z.string().pipe(z.coerce.date()),
  lastUpdatedTime: z.string().pipe(z.coerce.date()),
  input: z.unknown(),
  output: z.unknown(),
  customStatus: z.unknown(),
});

const continuationHeader = 'x-ms-continuation-token';
/**
 * Tokens that mean "no more pages": none, or the base64 of "null" that older Azure Storage providers
 * sent with the last page (Azure/durabletask pull request 372).
 */
const lastPage = new Set(['', 'null', 'bnVsbA==']);
const defaultPageSize = 100;
const pageTimeoutMs = 30_000;

/**
 * The task hub's instances whose ids start with a prefix (and, when asked, created before a time),
 * read through the durable extension's HTTP
 * API (`GET …/instances?instanceIdPrefix=…`, `HttpApiHandler.cs` in
 * Azure/azure-functions-durable-extension), which lists them without scanning the rest of the hub.
 * The durable-functions client cannot ask by prefix, so this asks the same API at the same URLs it
 * uses: the binding's `rpcBaseUrl` when present, else its `statusQueryGetUri`. Those URLs carry the
 * extension's system key, so nothing this throws names them.
 */
export async function queryInstances(
  client: DurableClient,
  query: InstanceQuery,
): Promise<DurableOrchestrationStatus[]> {
  const url = instancesUrl(client, query);
  const statuses: DurableOrchestrationStatus[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await readPage(url, token);
    statuses.push(...page.statuses);
    token = page.token;
    if (token !== undefined && seen.has(token))
      throw new Error('The task hub repeated a continuation token while listing instances.');
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
  return statuses;
}

/**
 * The instances whose ids start with `instanceIdPrefix` that are still running or waiting to, with
 * when each was created: one target's releases, or one secret's rotations.
 */
export async function activeInstancesOf(
  client: DurableClient,
  instanceIdPrefix: string,
): Promise<ActiveInstance[]> {
  const active = await queryInstances(client, {
    instanceIdPrefix,
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  return active.map((s) => ({ id: s.instanceId, createdTime: s.createdTime.toISOString() }));
}

/** The instances query URL, as durable-functions builds its own from the binding, plus the filter. */
function instancesUrl(client: DurableClient, query: InstanceQuery): URL {
  const data = clientDataSchema.safeParse(Reflect.get(client, 'clientData'));
  if (!data.success) throw new Error('The durable client does not carry the task hub’s management URLs.');
  const { rpcBaseUrl, managementUrls } = data.data;
  const url = rpcBaseUrl
    ? new URL('instances/', rpcBaseUrl)
    : new URL(managementUrls.statusQueryGetUri.replace(managementUrls.id, ''));
  if (query.instanceIdPrefix !== undefined) url.searchParams.set('instanceIdPrefix', query.instanceIdPrefix);
  if (query.createdTimeTo !== undefined)
    url.searchParams.set('createdTimeTo', query.createdTimeTo.toISOString());
  if (query.runtimeStatus && query.runtimeStatus.length > 0)
    url.searchParams.set('runtimeStatus', query.runtimeStatus.join(','));
  url.searchParams.set('top', String(query.pageSize ?? defaultPageSize));
  url.searchParams.set('showInput', String(query.showInput ?? false));
  return url;
}

async function readPage(
  url: URL,
  token: string | undefined,
): Promise<{ statuses: DurableOrchestrationStatus[]; token: string | undefined }> {
  const signal = AbortSignal.timeout(pageTimeoutMs);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(token === undefined ? {} : { [continuationHeader]: token }),
      },
      signal,
    });
  } catch {
    // What fetch threw is left behind: its cause may quote the URL, and with it the system key.
    const why = signal.aborted ? 'it did not answer in time' : 'it was unreachable';
    throw new Error(`The task hub's instances could not be listed: ${why}.`);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new Error(`The task hub's instances could not be listed: it answered ${res.status}.`);
  }
  const page = z.array(statusSchema).safeParse(await res.json().catch(() => undefined));
  if (!page.success) throw new Error("The task hub's instance list was not in the durable HTTP API's shape.");
  const next = res.headers.get(continuationHeader) ?? '';
  return { statuses: page.data, token: lastPage.has(next.trim()) ? undefined : next };
}
