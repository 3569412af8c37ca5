import type { HttpHandler, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { alertFreezeId } from '../azure/freezeStore';
import type { Config, Target } from '../config';
import type { Freeze } from '../domain/freeze';
import {
  freezeAuditEntry,
  freezeLiftedNotice,
  freezeSetNotice,
  recipientsOf,
  recordFromTrigger,
  tellOnce,
} from '../freezeControl';
import type { FreezeRouteServices } from './freezeEnvironment';
import { alertedTargets } from './alertedTargets';
import { receiveBudgetAlert } from './budgetAlertReceived';
import { parseBudgetAlert } from './payloads/budgetAlert';
import { parseCommonAlert } from './payloads/commonAlert';
import type { MonitorAlert } from './payloads/commonAlert';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';
import { abortReleases, activeReleasesOf, startKnownGoodRollback } from '../releaseControl';
import { secretsEqual } from './secretsEqual';

/**
 * `POST /api/hooks/azure-monitor?secret=…`: an action group's webhook. Budget alerts, in the common
 * alert schema or the older `AIP Budget Notification` one, go to `receiveBudgetAlert`. Any other alert
 * comes in the common alert schema: fired on a target's site or slot, or on one of its
 * `alertResources`, it freezes that target's releases until it is resolved and stops the running
 * release, which rolls back (swapping back when it is already baking); resolved, it lifts the freeze
 * once no other alert holds it. It answers 202 at once: Azure Monitor retries slow webhooks.
 */
export function azureMonitorAlert(config: Config, services: FreezeRouteServices): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const presented = req.query.get('secret');
    if (presented === null || !secretsEqual(presented, config.alertWebhookSecret)) {
      return problemResponse(401, 'Unauthorized', 'The secret in the webhook URL is missing or wrong.');
    }
    const read = await readJsonBody(req, 'an alert in the common alert schema, or a budget alert');
    if ('problem' in read) return read.problem;
    const budget = parseBudgetAlert(read.body);
    if (budget !== undefined) {
      if (!budget.ok)
        return problemResponse(400, 'Bad Request', 'The budget alert could not be read.', {
          errors: budget.problems,
        });
      return receiveBudgetAlert(config, services, df.getClient(context), budget.value, context);
    }
    const parsed = parseCommonAlert(read.body);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'The alert is not in the common alert schema.', {
        errors: parsed.problems,
      });
    const alert = parsed.value;
    const affected = alertedTargets(config.targets, alert.targetResourceIds);
    if (affected.length === 0)
      return { status: 202, jsonBody: { ignored: 'the alert is for no target of Shepherd' } };
    const client = df.getClient(context);
    if (alert.monitorCondition === 'Resolved') {
      const lifted = await liftAlertFreezes(client, services, affected, alert, context);
      return { status: 202, jsonBody: { lifted } };
    }
    const aborted: string[] = [];
    const rollingBack: string[] = [];
    const alertRule = alertRuleOf(alert);
    const request = { by: 'azure-monitor', reason: `alert ${alertRule} fired`, alertRule };
    const frozen: string[] = [];
    for (const target of affected) {
      const running = (await activeReleasesOf(client, target.name)).map((r) => r.id);
      // Frozen first, so a push arriving during the rollback starts nothing; but a freeze store out
      // of reach must not keep the bad release running: that is logged, and the abort goes on.
      const began = await holdForAlert(client, services, target.name, alert, running, context).catch(
        (err: unknown) => {
          context.error(
            `the alert freeze of ${target.name} could not be set: ${err instanceof Error ? err.message : String(err)}`,
          );
          return false;
        },
      );
      if (began) frozen.push(target.name);
      const { promotedFirst } = await abortReleases(client, running, request);
      aborted.push(...running.filter((id) => !promotedFirst.includes(id)));
      // A release that promoted its image just before the alert reached it is taken back all the same.
      if (promotedFirst.length > 0 && promotedFirst.length === running.length)
        rollingBack.push(await startKnownGoodRollback(client, target, request));
    }
    context.log(
      `alert ${alert.alertId} fired for ${affected.map((t) => t.name).join(', ')}; aborted: ${aborted.join(', ') || 'none running'}${rollingBack.length > 0 ? `; rolling back: ${rollingBack.join(', ')}` : ''}`,
    );
    return {
      status: 202,
      jsonBody: { aborted, frozen, ...(rollingBack.length > 0 ? { rollingBack } : {}) },
    };
  };
}

function alertRuleOf(alert: MonitorAlert): string {
  return alert.rule ?? alert.alertId;
}

/**
 * Freezes the target's promotions while the alert fires: one alert freeze per target, however many
 * alerts (or deliveries of one) hold it. Says whether this alert began it.
 */
async function holdForAlert(
  client: DurableClient,
  services: FreezeRouteServices,
  target: string,
  alert: MonitorAlert,
  running: string[],
  context: InvocationContext,
): Promise<boolean> {
  const rule = alertRuleOf(alert);
  const template: Freeze = {
    scope: { kind: 'target', name: target },
    id: alertFreezeId,
    source: 'alert',
    reason: `alert ${rule} is firing; lifts when it is resolved`,
    by: { kind: 'alert', rule },
    since: new Date(alert.firedAt).toISOString(),
    releasesRunning: running,
  };
  const { freeze, began } = await services.freezes.holdForAlert(template, alert.alertId);
  if (!began) return false;
  await recordFromTrigger(
    services.audit,
    [
      freezeAuditEntry(
        `alert-freeze:${alert.alertId}:${target}`,
        template.since ?? new Date().toISOString(),
        freeze,
        'freeze.set',
        template.by,
        template.reason,
      ),
    ],
    context,
  );
  await tellOnce(
    client,
    `alert-freeze:${target}:${Date.parse(template.since ?? '')}`,
    recipientsOf(freeze.scope),
    freezeSetNotice(freeze, `alert ${rule}`),
  );
  return true;
}

/** Takes a resolved alert off its targets' alert freezes; answers the targets whose freeze it lifted. */
async function liftAlertFreezes(
  client: DurableClient,
  services: FreezeRouteServices,
  targets: Target[],
  alert: MonitorAlert,
  context: InvocationContext,
): Promise<string[]> {
  const rule = alertRuleOf(alert);
  const at = new Date(alert.resolvedAt ?? Date.now()).toISOString();
  const lifted: string[] = [];
  for (const target of targets) {
    const reason = `alert ${rule} was resolved`;
    const result = await services.freezes.releaseAlert(target.name, alert.alertId, {
      at,
      by: { kind: 'alert', rule },
      reason,
    });
    if (result?.lifted !== true) continue;
    lifted.push(target.name);
    await recordFromTrigger(
      services.audit,
      [
        freezeAuditEntry(
          `alert-lift:${alert.alertId}:${target.name}`,
          at,
          result.freeze,
          'freeze.lifted',
          { kind: 'alert', rule },
          reason,
        ),
      ],
      context,
    );
    await tellOnce(
      client,
      `alert-lift:${target.name}:${Date.parse(at)}`,
      recipientsOf(result.freeze.scope),
      freezeLiftedNotice(result.freeze, `alert ${rule}`, reason),
    );
  }
  return lifted;
}
