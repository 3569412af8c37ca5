import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { checkRestore, checkRestoreActivity } from './activities/checkRestore';
import { prepareRestoreDatabase, prepareRestoreDatabaseActivity } from './activities/prepareRestoreDatabase';
import { restoreBackup, restoreBackupActivity } from './activities/restoreBackup';
import { takeBackup, takeBackupActivity } from './activities/takeBackup';
import { createBackupServices } from './backupServices';
import { listBackups, listBackupsFunction } from './functions/listBackups';
import { startBackup, startBackupFunction } from './functions/startBackup';
import { startRestore, startRestoreFunction } from './functions/startRestore';
import { backup } from './orchestrations/backup';
import { backupOrchestrator } from './orchestrations/backupModel';
import { restore } from './orchestrations/restore';
import { restoreOrchestrator } from './orchestrations/restoreModel';
import { checkSlotHealth, checkSlotHealthActivity } from './activities/checkSlotHealth';
import { deployToSlot, deployToSlotActivity } from './activities/deployToSlot';
import { ensureProductionImage, ensureProductionImageActivity } from './activities/ensureProductionImage';
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
import { runSmokeChecks, runSmokeChecksActivity } from './activities/runSmokeChecks';
import {
  supersedeEarlierReleases,
  supersedeEarlierReleasesActivity,
} from './activities/supersedeEarlierReleases';
import { loadConfig } from './config';
import { acrWebhook, acrWebhookFunction } from './functions/acrWebhook';
import { azureMonitorAlert, azureMonitorAlertFunction } from './functions/azureMonitorAlert';
import { answerApproval, approveReleaseFunction, rejectReleaseFunction } from './functions/answerApproval';
import { healthCheck, healthCheckFunction, healthReport } from './functions/healthCheck';
import { onImagePushed, onImagePushedFunction } from './functions/onImagePushed';
import { releaseStatus, releaseStatusFunction } from './functions/releaseStatus';
import { rollbackTarget, rollbackTargetFunction } from './functions/rollbackTarget';
import { startRelease, startReleaseFunction } from './functions/startRelease';
import { targetReleases, targetReleasesFunction } from './functions/targetReleases';
import { release } from './orchestrations/release';
import { releaseOrchestrator } from './orchestrations/releaseModel';
import { registeredFunctions, tracked } from './registry';
import { createImageRegistry, createReleaseServices } from './services';

// Every function is registered here, for Azure and for the local host alike. Invalid settings stop
// start-up here, naming each bad value.
const config = loadConfig();
const services = createReleaseServices(config);
const backupServices = createBackupServices(config);
const durableClient = df.input.durableClient();

tracked(app.http)(healthCheckFunction, {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
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
  handler: answerApproval(true),
});
tracked(app.http)(rejectReleaseFunction, {
  route: 'releases/{id}/reject',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: answerApproval(false),
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

tracked(df.app.orchestration)(releaseOrchestrator, { handler: release });
tracked(df.app.orchestration)(backupOrchestrator, { handler: backup });
tracked(df.app.orchestration)(restoreOrchestrator, { handler: restore });
const activity = tracked(df.app.activity);
activity(deployToSlotActivity, { handler: deployToSlot(services) });
activity(readProductionImageActivity, { handler: readProductionImage(services) });
activity(checkSlotHealthActivity, { handler: checkSlotHealth(services) });
activity(runSmokeChecksActivity, { handler: runSmokeChecks(services) });
activity(setTrafficShareActivity, { handler: setTrafficShare(services) });
activity(clearTrafficRoutingActivity, { handler: clearTrafficRouting(services) });
activity(ensureProductionImageActivity, { handler: ensureProductionImage(services) });
activity(readWindowMetricsActivity, { handler: readWindowMetrics(services) });
activity(readKnownGoodActivity, { handler: readKnownGood(services) });
activity(recordKnownGoodActivity, { handler: recordKnownGood(services) });
activity(notifyPeopleActivity, { handler: notifyPeople(config) });
// It finds and stops the target's earlier releases through the durable client.
activity(supersedeEarlierReleasesActivity, {
  extraInputs: [durableClient],
  handler: supersedeEarlierReleases,
});
activity(takeBackupActivity, { handler: takeBackup(backupServices) });
activity(checkRestoreActivity, { handler: checkRestore(backupServices) });
activity(prepareRestoreDatabaseActivity, { handler: prepareRestoreDatabase(backupServices) });
activity(restoreBackupActivity, { handler: restoreBackup(backupServices) });
