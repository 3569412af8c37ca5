import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { armError } from '../arm';
import type { SandboxContext, SandboxModule } from '../context';
import type { Delivery, DeliveryResult } from '../delivery';
import { Deliverer } from '../delivery';
import { audiences, bearerToken } from '../tokens';
import { budgetAlertPayload, budgetAlertSchema } from './budgetAlert';
import type { BudgetAlert } from './budgetAlert';
import { metricAlertGuid, metricAlertPayload, metricAlertSchema } from './metricAlert';
import type { MetricAlert } from './metricAlert';

/** An action group's webhook action, as the sandbox's config names it. */
export interface ActionGroupWebhook {
  name: string;
  serviceUri: string;
  useCommonAlertSchema: boolean;
}

export interface ActionGroupOptions {
  webhooks: ActionGroupWebhook[];
  /** The subscription a budget alert without a scope belongs to. */
  subscriptionId: string;
}

/** What an alert sent through the action group became: one result per webhook. */
export interface AlertSent {
  /** The alert's id, as its payload's `essentials.alertId` (budget alerts in the legacy shape have none). */
  alertId?: string;
  deliveries: DeliveryResult[];
}

/** The sandbox's Azure Monitor action group: alerts raised here go to its webhooks as Azure sends them. */
export interface SandboxActionGroup {
  module: SandboxModule;
  /** Sends a budget alert to every webhook, each in the shape it is set up for (or the one forced); resolves when each has been delivered or given up. */
  sendBudgetAlert(alert: BudgetAlert): Promise<AlertSent>;
  /** Sends a metric alert, fired or resolved, in the common alert schema to every webhook. */
  sendMetricAlert(alert: MetricAlert): Promise<AlertSent>;
  /** Resolves once no delivery is in flight. */
  idle(): Promise<void>;
}

/** The sandbox's own routes for the `budget` and `alert` commands; not Azure paths. */
export const budgetAlertPath = '/_sandbox/monitor/budgetAlerts';
export const metricAlertPath = '/_sandbox/monitor/metricAlerts';

/**
 * Action group webhooks are tried up to 3 times, again after 10 s and then 30 s, when the answer is
 * 408, 429, 503 or 504 or there is none (AZURE-FACTS.md; docs: action-groups, "webhook").
 */
const retryDelaysMs = [10_000, 30_000];
const retriedStatuses = new Set([408, 429, 503, 504]);

/**
 * An Azure Monitor action group with webhook actions. Its waits between tries run on the sandbox's
 * clock, so a test on a virtual clock sees the retries as Azure would space them.
 */
export function actionGroupModule(options: ActionGroupOptions): SandboxActionGroup {
  let context: SandboxContext | undefined;
  let deliverer: Deliverer | undefined;
  /** When each metric alert fired, by its GUID: its resolution carries the same `firedDateTime`. */
  const firedAt = new Map<string, number>();

  const running = (): { ctx: SandboxContext; deliverer: Deliverer } => {
    if (!context || !deliverer)
      throw new Error('The action group has not been added to a running sandbox yet.');
    return { ctx: context, deliverer };
  };
  const deliver = (payloadFor: (webhook: ActionGroupWebhook) => unknown): Promise<DeliveryResult[]> =>
    running().deliverer.deliverAll(
      options.webhooks.map((webhook): Delivery => ({
        kind: 'actionGroup',
        name: webhook.name,
        url: webhook.serviceUri,
        headers: { 'content-type': 'application/json' },
        body: payloadFor(webhook),
      })),
    );

  const sendBudgetAlert = async (request: BudgetAlert): Promise<AlertSent> => {
    const alert = budgetAlertSchema.parse(request);
    const origin = {
      subscriptionId: options.subscriptionId,
      now: running().ctx.clock.now(),
      alertName: randomUUID(),
    };
    const deliveries = await deliver((webhook) =>
      budgetAlertPayload(alert, origin, alert.shape ?? (webhook.useCommonAlertSchema ? 'common' : 'legacy')),
    );
    const subscriptionId =
      /^\/subscriptions\/([^/]+)/i.exec(alert.scope ?? '')?.[1] ?? options.subscriptionId;
    return {
      alertId: `/subscriptions/${subscriptionId}/providers/Microsoft.CostManagement/alerts/${origin.alertName}`,
      deliveries,
    };
  };

  const sendMetricAlert = async (request: MetricAlert): Promise<AlertSent> => {
    const alert = metricAlertSchema.parse(request);
    const guid = metricAlertGuid(alert);
    const now = running().ctx.clock.now();
    if (alert.condition === 'Fired') firedAt.set(guid, now);
    const payload = metricAlertPayload(alert, { firedAt: firedAt.get(guid) ?? now, now });
    if (alert.condition === 'Resolved') firedAt.delete(guid);
    const deliveries = await deliver(() => payload);
    return {
      alertId: (payload as { data: { essentials: { alertId: string } } }).data.essentials.alertId,
      deliveries,
    };
  };

  const module: SandboxModule = (app, ctx) => {
    context = ctx;
    deliverer = new Deliverer(retryDelaysMs, { retryable: (s) => retriedStatuses.has(s), clock: ctx.clock });
    const route = <T extends z.ZodType>(
      path: string,
      schema: T,
      send: (body: z.input<T>) => Promise<AlertSent>,
    ): void => {
      app.post(path, async (req, reply) => {
        if (!ctx.tokens.verify(bearerToken(req), audiences.arm))
          return armError(
            reply,
            401,
            'InvalidAuthenticationToken',
            `A Microsoft Entra bearer token for ${audiences.arm} is required.`,
          );
        const parsed = schema.safeParse(req.body);
        if (!parsed.success) return badRequest(reply, parsed.error);
        return reply.code(200).send(await send(req.body as z.input<T>));
      });
    };
    route(budgetAlertPath, budgetAlertSchema, sendBudgetAlert);
    route(metricAlertPath, metricAlertSchema, sendMetricAlert);
    return {
      close: async () => {
        deliverer?.close();
        await deliverer?.idle();
      },
    };
  };

  return {
    module,
    sendBudgetAlert,
    sendMetricAlert,
    idle: () => deliverer?.idle() ?? Promise.resolve(),
  };
}

function badRequest(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return armError(
    reply,
    400,
    'BadRequest',
    error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
  );
}
