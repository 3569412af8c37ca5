import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { Config } from '../config';
import { alertedTargets } from './alertedTargets';
import { parseCommonAlert } from './payloads/commonAlert';
import { problemResponse } from './problem';
import { readJsonBody } from './readJsonBody';
import { abortReleases, activeReleasesOf, startKnownGoodRollback } from '../releaseControl';
import { secretsEqual } from './secretsEqual';

export const azureMonitorAlertFunction = 'azureMonitorAlert';

/**
 * `POST /api/hooks/azure-monitor?secret=…`: an action group's webhook in the common alert schema. A
 * fired alert on a target's site or slot, or on one of its `alertResources`, stops that target's
 * running release, which rolls back (swapping back when it is already baking). It answers 202 at
 * once: Azure Monitor retries slow webhooks.
 */
export function azureMonitorAlert(config: Config): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const presented = req.query.get('secret');
    if (presented === null || !secretsEqual(presented, config.alertWebhookSecret)) {
      return problemResponse(401, 'Unauthorized', 'The secret in the webhook URL is missing or wrong.');
    }
    const read = await readJsonBody(req, 'an alert in the common alert schema');
    if ('problem' in read) return read.problem;
    const parsed = parseCommonAlert(read.body);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'The alert is not in the common alert schema.', {
        errors: parsed.problems,
      });
    const alert = parsed.value;
    if (alert.monitorCondition !== 'Fired')
      return { status: 202, jsonBody: { ignored: 'the alert is resolved' } };
    const affected = alertedTargets(config.targets, alert.targetResourceIds);
    if (affected.length === 0)
      return { status: 202, jsonBody: { ignored: 'the alert is for no target of Shepherd' } };
    const client = df.getClient(context);
    const aborted: string[] = [];
    const rollingBack: string[] = [];
    const alertRule = alert.rule ?? alert.alertId;
    const request = { by: 'azure-monitor', reason: `alert ${alertRule} fired`, alertRule };
    for (const target of affected) {
      const running = (await activeReleasesOf(client, target.name)).map((r) => r.id);
      const { promotedFirst } = await abortReleases(client, running, request);
      aborted.push(...running.filter((id) => !promotedFirst.includes(id)));
      // A release that promoted its image just before the alert reached it is taken back all the same.
      if (promotedFirst.length > 0 && promotedFirst.length === running.length)
        rollingBack.push(await startKnownGoodRollback(client, target, request));
    }
    context.log(
      `alert ${alert.alertId} fired for ${affected.map((t) => t.name).join(', ')}; aborted: ${aborted.join(', ') || 'none running'}${rollingBack.length > 0 ? `; rolling back: ${rollingBack.join(', ')}` : ''}`,
    );
    return { status: 202, jsonBody: { aborted, ...(rollingBack.length > 0 ? { rollingBack } : {}) } };
  };
}
