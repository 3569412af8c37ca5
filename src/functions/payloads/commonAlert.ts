import { z } from 'zod';
import { requiredString, timestamp } from './fields';
import { parseWith, type ParseResult } from './parseResult';

/** The `schemaId` of the common alert schema. */
export const commonAlertSchemaId = 'azureMonitorCommonAlertSchema';

const commonSchema = z.object({
  schemaId: z.literal(commonAlertSchemaId, {
    error: `expected "${commonAlertSchemaId}"; turn on the common alert schema for this action group's webhook`,
  }),
});

// Azure Monitor retries a refused alert and then skips the endpoint for 15 minutes, so only what
// Shepherd acts on is required; descriptive fields may be null or missing (budget alerts send null).
const commonAlert = z
  .object({
    data: z.object({
      essentials: z.object({
        alertId: requiredString,
        alertRule: z.string().nullish(),
        severity: z.string().nullish(),
        signalType: z.string().nullish(),
        monitorCondition: z.enum(['Fired', 'Resolved']),
        monitoringService: requiredString,
        alertTargetIDs: z.array(requiredString).nullish(),
        firedDateTime: timestamp,
        resolvedDateTime: timestamp.nullish(),
      }),
      alertContext: z.unknown().nonoptional('is required'),
    }),
  })
  .transform(({ data: { essentials, alertContext } }) => ({
    alertId: essentials.alertId,
    rule: essentials.alertRule ?? null,
    severity: essentials.severity ?? null,
    monitorCondition: essentials.monitorCondition,
    monitoringService: essentials.monitoringService,
    signalType: essentials.signalType ?? null,
    /** Lower-cased: Azure does not keep the case of resource ids, so compare them lower-cased. */
    targetResourceIds: (essentials.alertTargetIDs ?? []).map((id) => id.toLowerCase()),
    firedAt: essentials.firedDateTime,
    ...(essentials.resolvedDateTime ? { resolvedAt: essentials.resolvedDateTime } : {}),
    /** What caused the alert; its shape depends on `monitoringService`. */
    alertContext,
  }));

/** An Azure Monitor alert, fired or resolved, as an action group's webhook reports it. */
export type MonitorAlert = z.output<typeof commonAlert>;

/**
 * Validates the body an action group's webhook action posts in the common alert schema
 * (`POST /api/hooks/azure-monitor`, and budget alerts). Any other schema gets that one problem.
 */
export function parseCommonAlert(body: unknown): ParseResult<MonitorAlert> {
  const schemaId = parseWith(commonSchema, body);
  return schemaId.ok ? parseWith(commonAlert, body) : schemaId;
}
