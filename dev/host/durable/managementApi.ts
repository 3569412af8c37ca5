import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendProblem } from '../httpUtil';
import { managementPayload } from './clientBinding';
import { EventType } from './history';
import type { DurableEngine } from './engine';
import { terminalStatuses } from './instanceState';
import type { InstanceState, RuntimeStatus } from './instanceState';

const defaultPageSize = 100;

function statusCodeOf(status: RuntimeStatus): number {
  if (status === 'Completed') return 200;
  if (status === 'Failed' || status === 'Terminated') return 400;
  return 202;
}

function toStatus(state: InstanceState, url: URL): Record<string, unknown> {
  const showInput = url.searchParams.get('showInput') !== 'false';
  const showHistory = url.searchParams.get('showHistory') === 'true';
  const showHistoryOutput = url.searchParams.get('showHistoryOutput') === 'true';
  return {
    name: state.name,
    instanceId: state.instanceId,
    runtimeStatus: state.runtimeStatus,
    input: showInput ? state.input : null,
    customStatus: state.customStatus,
    output: state.output,
    createdTime: state.createdTime,
    lastUpdatedTime: state.lastUpdatedTime,
    ...(showHistory
      ? {
          // The HTTP API names event types, where the orchestrator's input numbers them.
          historyEvents: state.history.map((e) => {
            const shown: Record<string, unknown> = { ...e, EventType: EventType[e.EventType] };
            if (!showHistoryOutput) delete shown.Result;
            return shown;
          }),
        }
      : {}),
  };
}

function matchesFilter(state: InstanceState, url: URL): boolean {
  const statuses = url.searchParams.get('runtimeStatus');
  if (statuses && !statuses.split(',').includes(state.runtimeStatus)) return false;
  const from = url.searchParams.get('createdTimeFrom');
  if (from && Date.parse(state.createdTime) < Date.parse(from)) return false;
  const to = url.searchParams.get('createdTimeTo');
  if (to && Date.parse(state.createdTime) > Date.parse(to)) return false;
  const prefix = url.searchParams.get('instanceIdPrefix');
  return !prefix || state.instanceId.startsWith(prefix);
}

function readInput(body: Buffer): { value: unknown } | { error: string } {
  const text = body.toString('utf8').trim();
  if (text === '') return { value: null };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: 'The request body must be JSON.' };
  }
}

/**
 * The Durable Functions HTTP API (`/runtime/webhooks/durabletask/...`) that `df.getClient(context)`
 * and `createCheckStatusResponse` links call: start, status, list, raise event, terminate, purge.
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
    const input = readInput(body);
    if ('error' in input) return sendProblem(res, 400, 'Invalid input', input.error);
    const result = engine.startNew(id, { ...(action ? { instanceId: action } : {}), input: input.value });
    if ('unknownFunction' in result) {
      return sendProblem(
        res,
        400,
        'Unknown orchestrator',
        `The function '${id}' doesn't exist, is disabled, or is not an orchestrator function.`,
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
    const payload = managementPayload(clientData, result.started);
    return sendJson(res, 202, payload, { location: payload.statusQueryGetUri ?? '', 'retry-after': '10' });
  }
  if (resource !== 'instances') return sendProblem(res, 404, 'Not found');

  if (!id) {
    const matching = engine.list().filter((s) => matchesFilter(s, url));
    if (method === 'DELETE') {
      const deleted = matching.filter((s) => engine.purge(s.instanceId)).length;
      return deleted === 0
        ? sendProblem(res, 404, 'No instances purged')
        : sendJson(res, 200, { instancesDeleted: deleted });
    }
    if (method !== 'GET') return sendProblem(res, 405, 'Method not allowed');
    const sorted = matching.sort(
      (a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId),
    );
    const offset = Number(
      Buffer.from(String(req.headers['x-ms-continuation-token'] ?? ''), 'base64').toString() || 0,
    );
    const top = Number(url.searchParams.get('top') ?? defaultPageSize) || defaultPageSize;
    const page = sorted.slice(offset, offset + top);
    const headers: Record<string, string> =
      offset + top < sorted.length
        ? { 'x-ms-continuation-token': Buffer.from(String(offset + top)).toString('base64') }
        : {};
    return sendJson(
      res,
      200,
      page.map((s) => toStatus(s, url)),
      headers,
    );
  }

  const state = engine.get(id);
  if (!action) {
    if (method === 'GET') {
      return state
        ? sendJson(res, statusCodeOf(state.runtimeStatus), toStatus(state, url))
        : sendProblem(res, 404, 'Instance not found');
    }
    if (method === 'DELETE') {
      if (!state) return sendProblem(res, 404, 'Instance not found');
      if (!terminalStatuses.has(state.runtimeStatus))
        return sendProblem(res, 409, 'Instance is running', 'Only finished instances can be purged.');
      engine.purge(id);
      return sendJson(res, 200, { instancesDeleted: 1 });
    }
    return sendProblem(res, 405, 'Method not allowed');
  }
  if (method !== 'POST') return sendProblem(res, 405, 'Method not allowed');

  let outcome: 'raised' | 'missing' | 'ended';
  if (action === 'raiseEvent' && eventName) {
    const text = body.toString('utf8').trim();
    outcome = engine.raiseEvent(id, eventName, text === '' ? null : text);
  } else if (action === 'terminate') {
    outcome = engine.terminate(id, url.searchParams.get('reason') ?? '');
  } else {
    return sendProblem(res, 501, 'Not supported', `The local host does not support '${action}'.`);
  }
  if (outcome === 'missing') return sendProblem(res, 404, 'Instance not found');
  if (outcome === 'ended') return sendProblem(res, 410, 'Instance has ended');
  res.writeHead(202).end();
}
