import type { CleanupKind } from './domain/cleanupPlan';

// When the timer functions run, in NCRONTAB's six fields (seconds first), UTC unless `WEBSITE_TIME_ZONE`
// says otherwise. The entry registers the timers from here without loading the settings' schema;
// src/config.ts checks the same settings, with the same defaults, when the app starts.

/** Every day at 05:00: the secret scan, before people start their day. */
export const scanSecretsSchedule = '0 0 5 * * *';

/** The setting that may move each cleanup's schedule, and the schedule when it is not set. */
export const cleanupScheduleSettings = {
  registry: { setting: 'SHEPHERD_REGISTRY_CLEANUP_SCHEDULE', otherwise: '0 0 2 * * *' },
  backups: { setting: 'SHEPHERD_BACKUP_CLEANUP_SCHEDULE', otherwise: '0 30 2 * * *' },
  history: { setting: 'SHEPHERD_HISTORY_CLEANUP_SCHEDULE', otherwise: '0 0 3 * * 0' },
  drift: { setting: 'SHEPHERD_DRIFT_SCHEDULE', otherwise: '0 15 * * * *' },
} as const satisfies Record<CleanupKind, { setting: string; otherwise: string }>;

/** A cleanup's schedule as the settings give it (trimmed, as the settings' check reads it). */
export function cleanupScheduleOf(kind: CleanupKind, env: NodeJS.ProcessEnv = process.env): string {
  const { setting, otherwise } = cleanupScheduleSettings[kind];
  return env[setting]?.trim() ?? otherwise;
}
