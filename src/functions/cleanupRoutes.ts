import { randomBytes } from 'node:crypto';
import type { HttpHandler, HttpResponseInit, TimerHandler } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { cleanupRunPrefix, startCleanupRun } from '../cleanupControl';
import type { CleanupPlanner } from '../cleanupControl';
import type { Config } from '../config';
import { cleanupKinds } from '../domain/cleanupPlan';
import type { CleanupKind } from '../domain/cleanupPlan';
import { cleanupOrchestrator } from '../functionNames';
import { callerOf } from './caller';
import { toInstanceView } from './instanceView';
import { reasonText } from './payloads/fields';
import { parseWith } from './payloads/parseResult';
import { problemResponse } from './problem';

/** The run's status route, where a caller follows it. */
function runPath(runId: string): string {
  return `/api/cleanup/runs/${encodeURIComponent(runId)}`;
}

const body = z.object({ reason: reasonText.optional() }).strict();

/**
 * `POST /api/cleanup/{registry|backups|history|drift}[?dryRun=true]`, optionally with `{ "reason": "…" }`:
 * with `dryRun=true`, answers 200 with the plan (every item, what would be done and why) and changes
 * nothing; otherwise starts a run (202, `Location` on `cleanupRunStatus`), or answers 409 naming the
 * run of that kind already going.
 */
export function startCleanup(planners: Record<CleanupKind, CleanupPlanner>, config: Config): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const kind = cleanupKinds.find((k) => k === req.params.kind);
    if (kind === undefined)
      return problemResponse(
        404,
        'Not Found',
        `There is no cleanup ${req.params.kind ?? ''}; there are ${cleanupKinds.join(', ')}.`,
      );
    const names = [...req.query.keys()].filter((n) => n !== 'code');
    const dryRun = req.query.get('dryRun');
    if (names.some((n) => n !== 'dryRun') || (dryRun !== null && !['true', 'false'].includes(dryRun)))
      return problemResponse(400, 'Bad Request', 'The only parameter is dryRun=true or dryRun=false.');
    const text = await req.text();
    const parsed = parseWith(body, text.trim() === '' ? {} : safeJson(text));
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'The body, when there is one, is {"reason": "…"}.', {
        errors: parsed.problems,
      });
    if (dryRun === 'true') {
      try {
        const plan = await planners[kind]({ now: new Date().toISOString() }, context);
        return { status: 200, jsonBody: { dryRun: true, ...plan } };
      } catch (err) {
        context.error(
          `the ${kind} plan could not be made: ${err instanceof Error ? err.message : String(err)}`,
        );
        return problemResponse(
          503,
          'Service Unavailable',
          `The ${kind} plan could not be made; nothing was changed. Try again.`,
        );
      }
    }
    const by = callerOf(req.headers, config.easyAuthEnabled);
    const runId = `${cleanupRunPrefix(kind)}${new Date().toISOString()}-${randomBytes(3).toString('hex')}`;
    const run = await startCleanupRun(df.getClient(context), kind, runId, {
      via: 'person',
      by,
      ...(parsed.value.reason === undefined ? {} : { reason: parsed.value.reason }),
    });
    if (!run.started)
      return problemResponse(409, 'Conflict', `A ${kind} cleanup runs already: ${run.runId}.`, {
        runId: run.runId,
        statusUri: runPath(run.runId),
      });
    context.log(`${kind} cleanup asked by ${by}: ${runId}`);
    return {
      status: 202,
      headers: { location: runPath(runId) },
      jsonBody: { runId, kind, statusUri: runPath(runId) },
    };
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `GET /api/cleanup/runs/{id}`: a cleanup run's phase, counts, failures and outcome; nothing else. */
export const cleanupRunStatus: HttpHandler = async (req, context): Promise<HttpResponseInit> => {
  const id = req.params.id ?? '';
  const status = await df
    .getClient(context)
    .getStatus(id)
    .catch(() => undefined);
  if (status?.name !== cleanupOrchestrator)
    return problemResponse(404, 'Not Found', `There is no cleanup run ${id}.`);
  return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: toInstanceView(status) };
};

/**
 * The timer of `kind`: starts its run, named after the minute it fired in, so a timer fired twice
 * for one moment starts one; a run of the kind still going is left to finish.
 */
export function scheduledCleanup(kind: CleanupKind): TimerHandler {
  return async (_timer, context) => {
    // To the minute: the same firing delivered twice makes the same id.
    const at = new Date().toISOString().slice(0, 16);
    const runId = `${cleanupRunPrefix(kind)}${at}-scheduled`;
    const run = await startCleanupRun(df.getClient(context), kind, runId, {
      via: 'schedule',
      by: 'shepherd',
    });
    context.log(
      run.started ? `${kind} cleanup started: ${runId}` : `a ${kind} cleanup runs already: ${run.runId}`,
    );
  };
}
