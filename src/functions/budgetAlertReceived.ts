import { randomUUID } from 'node:crypto';
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import type { Config } from '../config';
import { selectAppsToStop } from '../domain/appsToStop';
import type { BudgetAlert } from '../domain/budgetAlert';
import { decideBudgetAlert, isProductionEnvironment } from '../domain/budgetPolicy';
import { budgetReference } from '../domain/noticeRecipients';
import { recordFromTrigger } from '../freezeControl';
import { budgetResponseOrchestrator } from '../functionNames';
import type { BudgetResponseInput } from '../orchestrations/budgetModel';
import { formatAmount } from '../orchestrations/budgetNotice';
import { startOnce } from '../startOnce';
import type { FreezeRouteServices } from './freezeEnvironment';

/**
 * Acts on a budget alert the Azure Monitor webhook received: once per budget, threshold, kind and
 * period (its durable work is named after them, so Azure's daily re-evaluations and the action
 * group's retries start nothing more). Every delivery is recorded in the audit trail, the ignored
 * ones with why. Answers 202 at once; the work tells people, freezes and stops as the policy says.
 */
export async function receiveBudgetAlert(
  config: Config,
  services: FreezeRouteServices,
  client: DurableClient,
  alert: BudgetAlert,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const receivedAt = Date.now();
  // A late delivery still belongs to the period the alert fired in.
  const decision = decideBudgetAlert(
    config.budgets,
    alert,
    new Date(alert.firedAt === undefined ? receivedAt : Date.parse(alert.firedAt)),
  );
  const money = (n: number): string => formatAmount(n, alert.currency);
  const figures = `${alert.thresholdPercent}% ${alert.kind} of ${money(alert.budgetAmount)}, spent ${money(alert.spent)}${alert.forecast === undefined ? '' : `, forecast ${money(alert.forecast)}`}`;
  const record = (outcome: 'started' | 'ignored', detail: string): Promise<void> =>
    recordFromTrigger(
      services.audit,
      [
        {
          id: `budget-alert:${receivedAt}:${randomUUID().slice(0, 8)}`,
          at: new Date(receivedAt).toISOString(),
          action: 'budget.alert',
          subject: { kind: 'budget', name: alert.budgetName },
          by: { kind: 'alert', rule: `budget ${alert.budgetName}` },
          outcome,
          detail: `${figures}: ${detail}`,
        },
      ],
      context,
    );
  const ignore = async (reason: string): Promise<HttpResponseInit> => {
    await record('ignored', reason);
    context.log(`budget alert for ${alert.budgetName} ignored: ${reason}`);
    return { status: 202, jsonBody: { budget: alert.budgetName, ignored: reason } };
  };

  if (!decision.act) return ignore(decision.reason);
  if (Date.parse(decision.period.end) <= receivedAt)
    return ignore(
      `it belongs to the period that ended at ${decision.period.end}; the budget has reset since`,
    );
  const { budget } = decision;
  const input: BudgetResponseInput = {
    key: decision.key,
    figures: {
      budgetName: alert.budgetName,
      kind: alert.kind,
      thresholdPercent: alert.thresholdPercent,
      budgetAmount: alert.budgetAmount,
      spent: alert.spent,
      ...(alert.forecast === undefined ? {} : { forecast: alert.forecast }),
      ...(alert.currency === undefined ? {} : { currency: alert.currency }),
    },
    environments: budget.environments,
    budgetEntry: budgetReference(budget, config.budgets.indexOf(budget)),
    threshold: decision.threshold,
    actions: { freeze: decision.actions.freeze, stopNonProduction: decision.actions.stopNonProduction },
    period: decision.period,
    stop: decision.actions.stopNonProduction
      ? selectAppsToStop(config.targets, budget.environments, (e) =>
          isProductionEnvironment(e, config.environments),
        )
      : [],
  };
  const instanceId = decision.key;
  if (!(await startOnce(client, budgetResponseOrchestrator, instanceId, input)))
    return ignore(`this budget, threshold, kind and period was acted on already (${instanceId})`);
  const did = [
    'notify',
    ...(input.actions.freeze ? [`freeze ${budget.environments.join(', ')}`] : []),
    ...(input.stop.length > 0 ? [`stop ${input.stop.map((a) => a.site.name).join(', ')}`] : []),
  ];
  await record('started', `acting (${did.join('; ')}) until ${decision.period.end}, as ${instanceId}`);
  context.log(`budget alert for ${alert.budgetName} (${figures}): ${did.join('; ')} (${instanceId})`);
  return { status: 202, jsonBody: { budget: alert.budgetName, acting: instanceId, actions: did } };
}
