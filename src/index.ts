import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { checkRestore, checkRestoreActivity } from './activities/checkRestore';
import { prepareRestoreDatabase, prepareRestoreDatabaseActivity } from './activities/prepareRestoreDatabase';
import { restoreBackup, restoreBackupActivity } from './activities/restoreBackup';
import { takeBackup, takeBackupActivity } from './activities/takeBackup';
import { createBackupServices } from './backupServices';
import { listBackups, listBackupsFunction } from './functions/listBackups';
import { startBackup, startBackupFunction } from './functions/startBackup';
import { operationStatus, operationStatusFunction } from './functions/operationStatus';
import {
  startOverwritingRestore,
  startOverwritingRestoreFunction,
  startRestore,
  startRestoreFunction,
} from './functions/startRestore';
import { backup } from './orchestrations/backup';
import { backupOrchestrator } from './orchestrations/backupModel';
import { restore } from './orchestrations/restore';
import { restoreOrchestrator } from './orchestrations/restoreModel';
import { checkSlotHealth, checkSlotHealthActivity } from './activities/checkSlotHealth';
import { deployToSlot, deployToSlotActivity } from './activities/deployToSlot';
import { azureStep } from './activities/azureStep';
import {
  followSwap,
  followSwapActivity,
  startSwap,
  startSwapActivity,
} from './activities/swapIntoProduction';
import {
  readKnownGood,
  readKnownGoodActivity,
  recordKnownGood,
  recordKnownGoodActivity,
} from './activities/knownGood';
import { readProductionImage, readProductionImageActivity } from './activities/readProductionImage';
import { readWindowMetrics, readWindowMetricsActivity } from './activities/readWindowMetrics';
import {
  clearTrafficRouting,
  clearTrafficRoutingActivity,
  setTrafficShare,
  setTrafficShareActivity,
} from './activities/routeTraffic';
import { notifyPeople, notifyPeopleActivity } from './activities/notifyPeople';
import { recordAudit, recordAuditActivity } from './activities/recordAudit';
import { runSmokeChecks, runSmokeChecksActivity } from './activities/runSmokeChecks';
import {
  supersedeEarlierReleases,
  supersedeEarlierReleasesActivity,
} from './activities/supersedeEarlierReleases';
import { loadConfig } from './config';
import { acrWebhook, acrWebhookFunction } from './functions/acrWebhook';
import { azureMonitorAlert, azureMonitorAlertFunction } from './functions/azureMonitorAlert';
import { answerApproval, approveReleaseFunction, rejectReleaseFunction } from './functions/answerApproval';
import {
  healthCheck,
  healthCheckFunction,
  healthDetailsFunction,
  healthReport,
  liveness,
} from './functions/healthCheck';
import { onImagePushed, onImagePushedFunction } from './functions/onImagePushed';
import { readAudit, readAuditFunction } from './functions/readAudit';
import { releaseStatus, releaseStatusFunction } from './functions/releaseStatus';
import { rollbackTarget, rollbackTargetFunction } from './functions/rollbackTarget';
import { startRelease, startReleaseFunction } from './functions/startRelease';
import { targetReleases, targetReleasesFunction } from './functions/targetReleases';
import { release } from './orchestrations/release/release';
import { releaseOrchestrator } from './orchestrations/releaseModel';
import { registeredFunctions, tracked } from './registry';
import { createImageRegistry, createReleaseServices } from './services';
import { createStateServices } from './stateServices';

// Every function is registered here, for Azure and for the local host alike. Invalid settings stop
// start-up here, naming each bad value.
const config = loadConfig();
const services = createReleaseServices(config);
const backupServices = createBackupServices(config);
const state = createStateServices(config);
const durableClient = df.input.durableClient();

// Anyone may ask whether Shepherd is alive; what it looks after is for key holders.
tracked(app.http)(healthCheckFunction, {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: healthCheck(() => liveness(config)),
});
tracked(app.http)(healthDetailsFunction, {
  route: 'health/details',
  methods: ['GET'],
  authLevel: 'function',
  handler: healthCheck(() => healthReport(config, registeredFunctions)),
});

// The webhook authenticates with its own shared secret, which ACR sends in a custom header.
tracked(app.http)(acrWebhookFunction, {
  route: 'hooks/acr',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [durableClient],
  handler: acrWebhook(config),
});
tracked(app.eventGrid)(onImagePushedFunction, {
  extraInputs: [durableClient],
  handler: onImagePushed(config),
});
tracked(app.http)(releaseStatusFunction, {
  route: 'releases/{id}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: releaseStatus,
});
tracked(app.http)(targetReleasesFunction, {
  route: 'targets/{target}/releases',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: targetReleases(config),
});
tracked(app.http)(startReleaseFunction, {
  route: 'targets/{target}/releases',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: startRelease(config, createImageRegistry(config)),
});
tracked(app.http)(approveReleaseFunction, {
  route: 'releases/{id}/approve',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: answerApproval(true, config.easyAuthEnabled),
});
tracked(app.http)(rejectReleaseFunction, {
  route: 'releases/{id}/reject',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: answerApproval(false, config.easyAuthEnabled),
});

// Azure Monitor authenticates with the secret in the webhook URL it was given.
tracked(app.http)(azureMonitorAlertFunction, {
  route: 'hooks/azure-monitor',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [durableClient],
  handler: azureMonitorAlert(config),
});
tracked(app.http)(rollbackTargetFunction, {
  route: 'targets/{target}/rollback',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: rollbackTarget(config),
});

tracked(app.http)(startBackupFunction, {
  route: 'targets/{target}/backups',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: startBackup(config),
});
tracked(app.http)(listBackupsFunction, {
  route: 'targets/{target}/backups',
  methods: ['GET'],
  authLevel: 'function',
  handler: listBackups(config, backupServices),
});
tracked(app.http)(startRestoreFunction, {
  route: 'targets/{target}/restores',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: startRestore(config, backupServices),
});
// Replacing a database is destructive: the admin level (the host's master key), not a function key.
tracked(app.http)(startOverwritingRestoreFunction, {
  route: 'targets/{target}/restores/overwrite',
  methods: ['POST'],
  authLevel: 'admin',
  extraInputs: [durableClient],
  handler: startOverwritingRestore(config, backupServices),
});
// Backups and restores are followed here, never on the durable extension's URLs (they carry its system key).
tracked(app.http)(operationStatusFunction, {
  route: 'targets/{target}/operations/{id}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: operationStatus(config),
});

tracked(app.http)(readAuditFunction, {
  route: 'audit',
  methods: ['GET'],
  authLevel: 'function',
  handler: readAudit(state.audit),
});

tracked(df.app.orchestration)(releaseOrchestrator, { handler: release });
tracked(df.app.orchestration)(backupOrchestrator, { handler: backup });
tracked(df.app.orchestration)(restoreOrchestrator, { handler: restore });
const activity = tracked(df.app.activity);
// Activities a release retries: each answers an AzureStepResult, so the release can tell a
// transient refusal (retried with backoff) from one that trying again cannot change.
activity(deployToSlotActivity, { handler: azureStep(deployToSlot(services)) });
activity(readProductionImageActivity, { handler: azureStep(readProductionImage(services)) });
activity(checkSlotHealthActivity, { handler: azureStep(checkSlotHealth(services)) });
activity(runSmokeChecksActivity, { handler: azureStep(runSmokeChecks(services)) });
activity(setTrafficShareActivity, { handler: azureStep(setTrafficShare(services)) });
activity(clearTrafficRoutingActivity, { handler: azureStep(clearTrafficRouting(services)) });
activity(startSwapActivity, { handler: azureStep(startSwap(services)) });
activity(followSwapActivity, { handler: azureStep(followSwap(services)) });
activity(readKnownGoodActivity, { handler: azureStep(readKnownGood(services)) });
activity(recordKnownGoodActivity, { handler: azureStep(recordKnownGood(services)) });
activity(notifyPeopleActivity, { handler: azureStep(notifyPeople(config)) });
// Best effort: orchestrations record their audit entries and carry on whatever the answer.
activity(recordAuditActivity, { handler: azureStep(recordAudit(state.audit)) });
// It finds and stops the target's earlier releases through the durable client.
activity(supersedeEarlierReleasesActivity, {
  extraInputs: [durableClient],
  handler: azureStep(supersedeEarlierReleases),
});
activity(readWindowMetricsActivity, { handler: readWindowMetrics(services) });
activity(takeBackupActivity, { handler: takeBackup(backupServices) });
activity(checkRestoreActivity, { handler: checkRestore(backupServices) });
activity(prepareRestoreDatabaseActivity, { handler: prepareRestoreDatabase(backupServices) });
activity(restoreBackupActivity, { handler: restoreBackup(backupServices) });
