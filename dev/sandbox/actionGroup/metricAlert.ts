import { createHash } from 'node:crypto';
import { z } from 'zod';

const siteOrSlotId =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/[^/]+(?:\/slots\/[^/]+)?$/i;

/** A metric alert rule on App Service sites or slots, fired or resolved. */
export const metricAlertSchema = z
  .object({
    /** The sites' or slots' resource ids the rule watches. */
    resourceIds: z
      .array(z.string().regex(siteOrSlotId, 'the resource id of an App Service site or slot'))
      .min(1),
    rule: z.string().min(1).max(260).default('sandbox-http5xx'),
    condition: z.enum(['Fired', 'Resolved']),
    /** The alert's id (a GUID); by default one derived from the rule and resources, so fired and resolved share it. */
    alertId: z.guid().optional(),
  })
  .strict();

export type MetricAlert = z.input<typeof metricAlertSchema>;
type ParsedMetricAlert = z.output<typeof metricAlertSchema>;

/** The alert's GUID: the one given, or the same one for the same rule on the same resources. */
export function metricAlertGuid(alert: ParsedMetricAlert): string {
  if (alert.alertId) return alert.alertId;
  const hex = createHash('sha256')
    .update([alert.rule, ...alert.resourceIds.map((id) => id.toLowerCase()).sort()].join('\n'))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The common alert schema payload of a static-threshold metric alert on `Http5xx` (shape:
 * `monitor-alert-metric-static-fired.json`). Azure writes `alertTargetIDs` in lower case, so they are
 * here too; `firedDateTime` is when the alert fired, also on its resolution.
 */
export function metricAlertPayload(
  alert: ParsedMetricAlert,
  times: { firedAt: number; now: number },
): unknown {
  const guid = metricAlertGuid(alert);
  const [first = ''] = alert.resourceIds;
  const [, subscriptionId = '', resourceGroup = ''] =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)/i.exec(first) ?? [];
  const fired = new Date(times.firedAt).toISOString();
  const windowStart = new Date(times.now - 5 * 60_000).toISOString();
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `/subscriptions/${subscriptionId}/providers/Microsoft.AlertsManagement/alerts/${guid}`,
        alertRule: alert.rule,
        severity: 'Sev2',
        signalType: 'Metric',
        monitorCondition: alert.condition,
        monitoringService: 'Platform',
        alertTargetIDs: alert.resourceIds.map((id) => id.toLowerCase()),
        configurationItems: alert.resourceIds.map((id) => id.split('/').at(-1) ?? id),
        originAlertId: `${subscriptionId}_${resourceGroup}_microsoft.insights_metricAlerts_${alert.rule}_${guid.replace(/-/g, '').slice(0, 10)}`,
        firedDateTime: fired,
        ...(alert.condition === 'Resolved' ? { resolvedDateTime: new Date(times.now).toISOString() } : {}),
        description: `Http5xx on ${alert.rule}`,
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        properties: {},
        conditionType: 'SingleResourceMultipleMetricCriteria',
        condition: {
          windowSize: 'PT5M',
          allOf: [
            {
              metricName: 'Http5xx',
              metricNamespace: 'Microsoft.Web/sites',
              operator: 'GreaterThan',
              threshold: '0',
              timeAggregation: 'Total',
              dimensions: [],
              metricValue: alert.condition === 'Fired' ? 1 : 0,
              webTestName: null,
            },
          ],
          windowStartTime: windowStart,
          windowEndTime: new Date(times.now).toISOString(),
        },
      },
      customProperties: {},
    },
  };
}
