import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendProblem } from '../httpUtil';
import { managementPayload } from './clientBinding';
import type { DurableEngine } from './engine';
import { purgeFilter, queryFilter, queryOption } from './instanceQuery';
import { terminalStatuses } from './instanceState';
import type { InstanceState } from './instanceState';
import { toStatusPayload } from './statusPayload';

const defaultPageSize = 100;
/** The links the extension's start answer carries (`CreateCheckStatusResponseMessage`). */
const startLinks = [
  'id',
  'statusQueryGetUri',
  'sendEventPostUri',
  'terminatePostUri',
  'purgeHistoryDeleteUri',
  'restartPostUri',
  'suspendPostUri',
  'resumePostUri',
];

/** The request body as text; a UTF-8 byte order mark is dropped, as .NET's `ReadAsStringAsync` does. */
function bodyText(body: Buffer): string {
  return new TextDecoder().decode(body);
}

function statusOptions(url: URL): Parameters<typeof toStatusPayload>[1] {
  return {
    showInput: queryOption(url, 'showInput') ?? true,
    showHistory: queryOption(url, 'showHistory') ?? false,
    showHistoryOutput: queryOption(url, 'showHistoryOutput') ?? false,
  };
}

/**
 * The Durable Functions HTTP API (`/runtime/webhooks/durabletask/...`) that `df.getClient(context)`
 * and `createCheckStatusResponse` links call: start, status, list, raise event, terminate, purge. Status
 * codes, headers and refusals follow the extension's `HttpApiHandler.cs`.
 */
export function handleDurableRequest(
  engine: DurableEngine,
  clientData: Record<string, unknown>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string[],
  body: Buffer,
): void {
  const method = req.method ?? 'GET';
  const [resource, id, action, eventName] = path;

  if (resource === 'orchestrators' && id && method === 'POST') {
    startInstance(
      engine,
      clientData,
      res,
      { name: id, instanceId: action, version: url.searchParams.get('version') },
      body,
    );
    return;
  }
  if (resource !== 'instances') return sendProblem(res, 404, 'Not found');
  if (!id) {
    if (method === 'DELETE') return purgeInstances(engine, res, url);
    if (method === 'GET') return listInstances(engine, req, res, url);
    return sendProblem(res, 405, 'Method not allowed');
  }

  const state = engine.get(id);
  if (!action) {
    if (method === 'GET') return sendStatus(res, url, state);
    if (method === 'DELETE') return purgeInstance(engine, res, id, state);
    return sendProblem(res, 405, 'Method not allowed');
  }
  if (method !== 'POST') return sendProblem(res, 405, 'Method not allowed');
  if (action === 'raiseEvent' && !eventName) return sendProblem(res, 404, 'Not found');
  if (action !== 'raiseEvent' && action !== 'terminate') {
    return sendProblem(res, 501, 'Not supported', `The local host does not support '${action}'.`);
  }
  if (!state) return sendProblem(res, 404, 'Instance not found');
  if (terminalStatuses.has(state.runtimeStatus)) return sendProblem(res, 410, 'Instance has ended');
  if (action === 'terminate') {
    engine.terminate(id, url.searchParams.get('reason') ?? '');
  } else {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return sendProblem(res, 400, 'Bad request', 'Only application/json request content is supported');
    }
    let data: unknown;
    try {
      data = JSON.parse(bodyText(body));
    } catch {
      return sendProblem(res, 400, 'Invalid JSON content', 'The event data must be JSON.');
    }
    engine.raiseEvent(id, eventName ?? '', JSON.stringify(data));
  }
  res.writeHead(202).end();
}

function startInstance(
  engine: DurableEngine,
  clientData: Record<string, unknown>,
  res: ServerResponse,
  start: { name: string; instanceId: string | undefined; version: string | null },
  body: Buffer,
): void {
  const { name, instanceId, version } = start;
  let input: unknown = null;
  const text = bodyText(body);
  // Json.NET, which the extension reads the input with, takes an empty or blank body as null.
  if (text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch {
      return sendProblem(res, 400, 'Invalid JSON content', 'The orchestrator input must be JSON.');
    }
  }
  // durable-functions' startNew passes a chosen version as `?version=`.
  const result = engine.startNew(name, {
    ...(instanceId ? { instanceId } : {}),
    ...(version ? { version } : {}),
    input,
  });
  if ('unknownFunction' in result) {
    return sendProblem(
      res,
      400,
      'Unknown orchestrator',
      `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
    );
  }
  if ('conflict' in result) {
    return sendProblem(
      res,
      409,
      'Instance exists',
      `An instance with ID '${result.conflict}' already exists and is running.`,
    );
  }
  const links = managementPayload(clientData, result.started);
  const payload = Object.fromEntries(startLinks.map((key) => [key, links[key] ?? '']));
  sendJson(res, 202, payload, { location: links.statusQueryGetUri ?? '', 'retry-after': '10' });
}

/**
 * 202 with `Location` (the request's own URL) and `Retry-After: 5` while the instance runs; 200 once it
 * has ended, failed included, unless `returnInternalServerErrorOnFailure=true` asks for 500 on failure.
 */
function sendStatus(res: ServerResponse, url: URL, state: InstanceState | undefined): void {
  if (!state) return sendProblem(res, 404, 'Instance not found');
  const payload = toStatusPayload(state, statusOptions(url));
  if (!terminalStatuses.has(state.runtimeStatus)) {
    return sendJson(res, 202, payload, { location: url.href, 'retry-after': '5' });
  }
  const failedAsError =
    state.runtimeStatus === 'Failed' && queryOption(url, 'returnInternalServerErrorOnFailure');
  sendJson(res, failedAsError ? 500 : 200, payload);
}

function listInstances(engine: DurableEngine, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const matches = queryFilter(url);
  const sorted = engine
    .list()
    .filter(matches)
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId));
  const offset = Number(
    Buffer.from(String(req.headers['x-ms-continuation-token'] ?? ''), 'base64').toString() || 0,
  );
  const top = Number(url.searchParams.get('top') ?? defaultPageSize) || defaultPageSize;
  const page = sorted.slice(offset, offset + top);
  const headers: Record<string, string> =
    offset + top < sorted.length
      ? { 'x-ms-continuation-token': Buffer.from(String(offset + top)).toString('base64') }
      : {};
  const options = statusOptions(url);
  sendJson(
    res,
    200,
    page.map((s) => toStatusPayload(s, { ...options, showHistory: false })),
    headers,
  );
}

/** Deletes one finished instance; a running one is refused with 412, as the extension does. */
function purgeInstance(
  engine: DurableEngine,
  res: ServerResponse,
  id: string,
  state: InstanceState | undefined,
): void {
  if (!state) return sendProblem(res, 404, 'Instance not found');
  if (!terminalStatuses.has(state.runtimeStatus)) {
    return sendProblem(
      res,
      412,
      'Instance is running',
      `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${id} has status ${state.runtimeStatus}`,
    );
  }
  engine.purge(id);
  sendJson(res, 200, { instancesDeleted: 1 });
}

/** Deletes the finished instances a filter names; the filter must say from when (`createdTimeFrom`). */
function purgeInstances(engine: DurableEngine, res: ServerResponse, url: URL): void {
  const matches = purgeFilter(url, engine.now());
  if (!matches) {
    return sendProblem(res, 400, 'Bad request', "Please provide value for 'createdTimeFrom' parameter.");
  }
  const deleted = engine
    .list()
    .filter(matches)
    .filter((s) => engine.purge(s.instanceId)).length;
  if (deleted === 0) return sendProblem(res, 404, 'No instances purged');
  sendJson(res, 200, { instancesDeleted: deleted });
}
