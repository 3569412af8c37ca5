import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { FreezeStore } from '../azure/freezeStore';
import type { AuditLog } from '../azure/auditLog';
import type { Config } from '../config';
import { describeScope } from '../domain/freeze';
import type { Freeze, FreezeScope } from '../domain/freeze';
import {
  endBudgetHolds,
  freezeAuditEntry,
  freezeLiftedNotice,
  freezeSetNotice,
  isKnownEnvironment,
  recipientsOf,
  recordFromTrigger,
  releasesRunningIn,
  targetsIn,
  tellOnce,
} from '../freezeControl';
import { callerOf } from './caller';
import { parseFreezeRequest, parseLiftRequest } from './payloads/freezeRequest';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';

/** The id of a person's freeze of an environment: one per environment, changed by a second PUT. */
const manualFreezeId = 'manual';

/** What the trigger needs besides the request: the settings, and the freeze store and audit trail. */
export interface FreezeRouteServices {
  freezes: FreezeStore;
  audit: AuditLog;
}

function environmentOf(
  config: Config,
  req: HttpRequest,
): { scope: FreezeScope } | { problem: HttpResponseInit } {
  const name = req.params.environment ?? '';
  return isKnownEnvironment(config, name)
    ? { scope: { kind: 'environment', name } }
    : {
        problem: problemResponse(
          404,
          'Not Found',
          `There is no environment ${name}: no target belongs to it and the targets file does not describe it.`,
        ),
      };
}

/**
 * `PUT /api/environments/{environment}/freeze` with `{ "reason": "…", "until"?: "<ISO time>" }`:
 * freezes releases to the environment by hand (a second PUT changes the reason or `until`). Pushes
 * are then recorded and refused; rollbacks still run; releases already running may finish. Answers
 * 201 with the freeze, or 200 when it changed one already set.
 */
export function freezeEnvironment(config: Config, services: FreezeRouteServices): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = environmentOf(config, req);
    if ('problem' in found) return found.problem;
    const read = await readJsonBody(req, '{"reason": "…", "until": "<optional ISO 8601 time>"}');
    if ('problem' in read) return read.problem;
    const now = Date.now();
    const parsed = parseFreezeRequest(read.body, now);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'A freeze needs a reason, and may say until when.', {
        errors: parsed.problems,
      });
    const by = callerOf(req.headers, config.easyAuthEnabled);
    const client = df.getClient(context);
    const { reason, until } = parsed.value;
    const since = new Date(now).toISOString();
    const wanted: Freeze = {
      scope: found.scope,
      id: manualFreezeId,
      source: 'manual',
      reason,
      by: { kind: 'person', name: by },
      since,
      ...(until === undefined ? {} : { until }),
      releasesRunning: await releasesRunningIn(client, config, found.scope),
    };
    // A second PUT says the freeze anew: its reason, who, and its `until` (none when not given).
    const { freeze, began } = await services.freezes.begin(wanted, (held) => ({
      ...held,
      reason,
      by: wanted.by,
      until,
    }));
    await recordFromTrigger(
      services.audit,
      [
        freezeAuditEntry(
          `freeze:${found.scope.name}:${now}`,
          since,
          freeze,
          'freeze.set',
          { kind: 'person', name: by },
          `${began ? 'frozen' : 'freeze changed'}: ${reason}${until === undefined ? '' : ` (until ${until})`}`,
        ),
      ],
      context,
    );
    await tellOnce(
      client,
      `freeze-set:${encodeURIComponent(found.scope.name)}:${now}`,
      recipientsOf(found.scope),
      freezeSetNotice(freeze, by),
    );
    context.log(`${describeScope(found.scope)} frozen by ${by}${began ? '' : ' (changed)'}`);
    return { status: began ? 201 : 200, jsonBody: { freeze } };
  };
}

/**
 * `DELETE /api/environments/{environment}/freeze` with `{ "reason": "…", "source"?: "manual" |
 * "budget" | "alert" }`: lifts the environment's freezes, and the alert freezes of its targets, of
 * any source or of the one named. A budget's freeze lifted early also starts the apps its critical
 * threshold stopped. The `SHEPHERD_FROZEN_ENVIRONMENTS` setting's freeze only a change of the
 * setting lifts: it is answered as kept.
 */
export function liftEnvironmentFreeze(config: Config, services: FreezeRouteServices): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const found = environmentOf(config, req);
    if ('problem' in found) return found.problem;
    const read = await readJsonBody(req, '{"reason": "…", "source": "<optional: manual, budget or alert>"}');
    if ('problem' in read) return read.problem;
    const parsed = parseLiftRequest(read.body);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'Lifting a freeze needs a reason.', {
        errors: parsed.problems,
      });
    const { reason, source } = parsed.value;
    const by = callerOf(req.headers, config.easyAuthEnabled);
    const scopes = [
      found.scope,
      ...targetsIn(config, found.scope).map((t) => ({ kind: 'target' as const, name: t.name })),
    ];
    const held = (await services.freezes.unlifted()).filter(
      (f) =>
        scopes.some((s) => s.kind === f.scope.kind && s.name === f.scope.name) &&
        (source === undefined || f.source === source),
    );
    const kept = config.frozenEnvironments.includes(found.scope.name)
      ? ['the SHEPHERD_FROZEN_ENVIRONMENTS setting freezes it; change the setting to lift that freeze']
      : [];
    if (held.length === 0)
      return kept.length > 0
        ? problemResponse(
            409,
            'Conflict',
            `${describeScope(found.scope)} is frozen by the SHEPHERD_FROZEN_ENVIRONMENTS setting only; change the setting to lift it.`,
          )
        : problemResponse(
            404,
            'Not Found',
            `No ${source === undefined ? '' : `${source} `}freeze holds ${describeScope(found.scope)}.`,
          );
    const client = df.getClient(context);
    const at = new Date().toISOString();
    const lifted: Freeze[] = [];
    for (const freeze of held) {
      const done = await services.freezes.lift(freeze.scope, freeze.id, {
        at,
        by: { kind: 'person', name: by },
        reason,
      });
      if (done === undefined) continue;
      lifted.push(done);
      // The budget's own work starts what it stopped and finishes; an ended one has nothing to do.
      if (done.source === 'budget')
        await endBudgetHolds(client, done.id, { environment: done.scope.name, by, reason });
      await tellOnce(
        client,
        `freeze-lifted:${encodeURIComponent(done.scope.name)}:${encodeURIComponent(done.id)}:${Date.parse(at)}`,
        recipientsOf(done.scope),
        freezeLiftedNotice(done, by, reason),
      );
    }
    await recordFromTrigger(
      services.audit,
      lifted.map((f, i) =>
        freezeAuditEntry(
          `lift:${f.scope.name}:${Date.parse(at)}:${i}`,
          at,
          f,
          'freeze.lifted',
          { kind: 'person', name: by },
          `${f.source} freeze lifted: ${reason}`,
        ),
      ),
      context,
    );
    context.log(`${lifted.length} freeze(s) of ${describeScope(found.scope)} lifted by ${by}`);
    return { status: 200, jsonBody: { lifted, ...(kept.length > 0 ? { kept } : {}) } };
  };
}
