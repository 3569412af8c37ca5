import type { CleanupKind } from './domain/cleanupPlan';

// Every function's name, apart from its code: the entry registers them all while it loads, and the
// code behind each is loaded when the function first runs (see src/index.ts).

// Triggered by HTTP, Event Grid and timers.
export const acrWebhookFunction = 'acrWebhook';
export const approveReleaseFunction = 'approveRelease';
export const rejectReleaseFunction = 'rejectRelease';
export const azureMonitorAlertFunction = 'azureMonitorAlert';
export const cleanupRunStatusFunction = 'cleanupRunStatus';
export const startCleanupFunction = 'startCleanup';
export const freezeEnvironmentFunction = 'freezeEnvironment';
export const liftEnvironmentFreezeFunction = 'liftEnvironmentFreeze';
export const healthCheckFunction = 'healthCheck';
export const healthDetailsFunction = 'healthDetails';
export const imageJourneyFunction = 'imageJourney';
export const listBackupsFunction = 'listBackups';
export const listFreezesFunction = 'listFreezes';
export const listTargetsFunction = 'listTargets';
export const onImagePushedFunction = 'onImagePushed';
export const onSecretExpiryFunction = 'onSecretExpiry';
export const operationStatusFunction = 'operationStatus';
export const readAuditFunction = 'readAudit';
export const releaseStatusFunction = 'releaseStatus';
export const rollbackTargetFunction = 'rollbackTarget';
export const rotateSecretFunction = 'rotateSecret';
export const rotationStatusFunction = 'rotationStatus';
export const scanSecretsFunction = 'scanSecrets';
export const listSecretsFunction = 'listSecrets';
export const secretStatusFunction = 'secretStatus';
export const dashboardAssetFunction = 'dashboardAsset';
export const dashboardPageFunction = 'dashboardPage';
export const startBackupFunction = 'startBackup';
export const startReleaseFunction = 'startRelease';
export const startOverwritingRestoreFunction = 'startOverwritingRestore';
export const startRestoreFunction = 'startRestore';
export const targetReleasesFunction = 'targetReleases';

/** The timer function of each cleanup kind, e.g. `scheduledRegistryCleanup`. */
export function scheduledCleanupFunction(kind: CleanupKind): string {
  return `scheduled${kind.charAt(0).toUpperCase()}${kind.slice(1)}Cleanup`;
}

/** The Azure Monitor webhook's route under `/api`: the action group's webhook URL (infra/modules/actionGroup.bicep) names it. */
export const azureMonitorAlertRoute = 'hooks/azure-monitor';

// Orchestrations.
export const backupOrchestrator = 'backup';
export const budgetResponseOrchestrator = 'budgetResponse';
export const cleanupChunkOrchestrator = 'cleanupChunk';
export const cleanupOrchestrator = 'cleanup';
export const sendNoticeOrchestrator = 'sendNotice';
export const queueLoopOrchestrator = 'releaseQueueLoop';
export const warmUpLoopOrchestrator = 'releaseWarmUpLoop';
export const watchLoopOrchestrator = 'releaseWatchLoop';
export const releaseOrchestrator = 'release';
export const restoreOrchestrator = 'restore';
export const rotationOrchestrator = 'rotation';
export const secretScanOrchestrator = 'secretScan';

// Activities.
export const readAppStatesActivity = 'readAppStates';
export const setAppStateActivity = 'setAppState';
export const carryOutBackupsItemActivity = 'carryOutBackupsItem';
export const planBackupsCleanupActivity = 'planBackupsCleanup';
export const checkRestoreActivity = 'checkRestore';
export const checkSlotHealthActivity = 'checkSlotHealth';
export const deployToSlotActivity = 'deployToSlot';
export const carryOutDriftItemActivity = 'carryOutDriftItem';
export const planDriftCleanupActivity = 'planDriftCleanup';
export const carryOutHistoryItemActivity = 'carryOutHistoryItem';
export const planHistoryCleanupActivity = 'planHistoryCleanup';
export const earlierRotationsActivity = 'earlierRotations';
export const inspectSecretActivity = 'inspectSecret';
export const readKnownGoodActivity = 'readKnownGood';
export const recordKnownGoodActivity = 'recordKnownGood';
export const liftFreezesActivity = 'liftFreezes';
export const lookAtConsumerActivity = 'lookAtConsumer';
export const notifyPeopleActivity = 'notifyPeople';
export const prepareRestoreDatabaseActivity = 'prepareRestoreDatabase';
export const probeSlotActivity = 'probeSlot';
export const promoteImageActivity = 'promoteImage';
export const readProductionImageActivity = 'readProductionImage';
export const readWindowMetricsActivity = 'readWindowMetrics';
export const recordAuditActivity = 'recordAudit';
export const carryOutRegistryItemActivity = 'carryOutRegistryItem';
export const planRegistryCleanupActivity = 'planRegistryCleanup';
export const requestRotationActivity = 'requestRotation';
export const restoreBackupActivity = 'restoreBackup';
export const restoreSecretVersionActivity = 'restoreSecretVersion';
export const roleSessionsActivity = 'roleSessions';
export const clearTrafficRoutingActivity = 'clearTrafficRouting';
export const setTrafficShareActivity = 'setTrafficShare';
export const runSmokeChecksActivity = 'runSmokeChecks';
export const setFreezesActivity = 'setFreezes';
export const stopPromotedReleaseActivity = 'stopPromotedRelease';
export const stopReleaseLoopActivity = 'stopReleaseLoop';
export const supersedeEarlierReleasesActivity = 'supersedeEarlierReleases';
export const followSwapActivity = 'followSwap';
export const startSwapActivity = 'startSwap';
export const switchConsumerActivity = 'switchConsumer';
export const takeBackupActivity = 'takeBackup';
export const tellExpiryActivity = 'tellExpiry';
export const writeSecretValueActivity = 'writeSecretValue';

/** The activities that plan and carry out each kind of cleanup. */
const cleanupActivitiesOf: Record<CleanupKind, { plan: string; carryOut: string }> = {
  registry: { plan: planRegistryCleanupActivity, carryOut: carryOutRegistryItemActivity },
  backups: { plan: planBackupsCleanupActivity, carryOut: carryOutBackupsItemActivity },
  history: { plan: planHistoryCleanupActivity, carryOut: carryOutHistoryItemActivity },
  drift: { plan: planDriftCleanupActivity, carryOut: carryOutDriftItemActivity },
};

/** The activities that plan and carry out one kind of cleanup. */
export function cleanupActivities(kind: CleanupKind): { plan: string; carryOut: string } {
  return cleanupActivitiesOf[kind];
}
