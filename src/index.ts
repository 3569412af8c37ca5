import { KnownReleases } from './knownReleases';
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { checkRestore, checkRestoreActivity } from './activities/checkRestore';
import { prepareRestoreDatabase, prepareRestoreDatabaseActivity } from './activities/prepareRestoreDatabase';
import { restoreBackup, restoreBackupActivity } from './activities/restoreBackup';
import { takeBackup, takeBackupActivity } from './activities/takeBackup';
import { createBackupServices } from './backupServices';
import { inspectSecret, inspectSecretActivity } from './activities/inspectSecret';
import { lookAtConsumer, lookAtConsumerActivity } from './activities/lookAtConsumer';
import { requestRotation, requestRotationActivity } from './activities/requestRotation';
import { restoreSecretVersion, restoreSecretVersionActivity } from './activities/restoreSecretVersion';
import { roleSessions, roleSessionsActivity } from './activities/roleSessions';
import { switchConsumer, switchConsumerActivity } from './activities/switchConsumer';
import { tellExpiry, tellExpiryActivity } from './activities/tellExpiry';
import { writeSecretValue, writeSecretValueActivity } from './activities/writeSecretValue';
import { onSecretExpiry, onSecretExpiryFunction } from './functions/onSecretExpiry';
import { rotateSecret, rotateSecretFunction } from './functions/rotateSecret';
import { rotationStatus, rotationStatusFunction } from './functions/rotationStatus';
import { scanSecrets, scanSecretsFunction, scanSecretsSchedule } from './functions/scanSecrets';
import {
  listSecrets,
  listSecretsFunction,
  secretStatus,
  secretStatusFunction,
} from './functions/secretStatus';
import { rotation } from './orchestrations/rotation/rotation';
import { rotationOrchestrator } from './orchestrations/rotationModel';
import { secretScan } from './orchestrations/secretScan';
import { secretScanOrchestrator } from './orchestrations/secretScanModel';
import { createRotationServices } from './rotationServices';
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
import {
  azureMonitorAlert,
  azureMonitorAlertFunction,
  azureMonitorAlertRoute,
} from './functions/azureMonitorAlert';
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
import { imageJourney, imageJourneyFunction } from './functions/imageJourney';
import { promoteImage, promoteImageActivity } from './activities/promoteImage';
import { stopPromotedRelease, stopPromotedReleaseActivity } from './activities/stopPromotedRelease';
import { queueLoop } from './orchestrations/release/queue';
import { warmUpLoop } from './orchestrations/release/warmUp';
import { watchLoop } from './orchestrations/release/watch';
import {
  queueLoopOrchestrator,
  warmUpLoopOrchestrator,
  watchLoopOrchestrator,
} from './orchestrations/releaseLoopModel';
import { probeSlot, probeSlotActivity } from './activities/probeSlot';
import { stopReleaseLoop, stopReleaseLoopActivity } from './activities/stopReleaseLoop';
import { releaseFlows } from './orchestrations/releaseFlows';
import { versionedFlow } from './orchestrations/versionedFlow';
import { releaseOrchestrator } from './orchestrations/releaseModel';
import { registeredFunctions, tracked } from './registry';
import { carryOutBackupsItem, planBackupsCleanup } from './activities/backupCleanup';
import { carryOutDriftItem, planDriftCleanup } from './activities/driftCheck';
import { carryOutHistoryItem, planHistoryCleanup } from './activities/historyCleanup';
import { carryOutRegistryItem, planRegistryCleanup } from './activities/registryCleanup';
import { createBackupsCleanupServices } from './backupsCleanupServices';
import type { CleanupPlanner } from './cleanupControl';
import { cleanupKinds } from './domain/cleanupPlan';
import type { CleanupKind } from './domain/cleanupPlan';
import { driftServicesOf } from './driftServices';
import {
  cleanupRunStatus,
  cleanupRunStatusFunction,
  scheduledCleanup,
  scheduledCleanupFunction,
  startCleanup,
  startCleanupFunction,
} from './functions/cleanupRoutes';
import { cleanup, cleanupChunk } from './orchestrations/cleanup';
import {
  cleanupActivities,
  cleanupChunkOrchestrator,
  cleanupOrchestrator,
} from './orchestrations/cleanupModel';
import { createRegistryCleanupServices } from './registryCleanupServices';
import { liftFreezes, liftFreezesActivity } from './activities/liftFreezes';
import {
  readAppStates,
  readAppStatesActivity,
  setAppState,
  setAppStateActivity,
} from './activities/appPower';
import { setFreezes, setFreezesActivity } from './activities/setFreezes';
import {
  freezeEnvironment,
  freezeEnvironmentFunction,
  liftEnvironmentFreeze,
  liftEnvironmentFreezeFunction,
} from './functions/freezeEnvironment';
import { listFreezes, listFreezesFunction } from './functions/listFreezes';
import { listTargets, listTargetsFunction } from './functions/listTargets';
import {
  dashboardAsset,
  dashboardAssetFunction,
  dashboardPage,
  dashboardPageFunction,
} from './functions/serveDashboard';
import { builtDashboard } from './dashboardFiles';
import { budgetResponse } from './orchestrations/budgetResponse';
import { budgetResponseOrchestrator } from './orchestrations/budgetModel';
import { sendNotice } from './orchestrations/sendNotice';
import { sendNoticeOrchestrator } from './orchestrations/noticeModel';
import { createImageRegistry, createReleaseServices } from './services';
import { createStateServices } from './stateServices';

// Every function is registered here, for Azure and for the local host alike. Invalid settings stop
// start-up here, naming each bad value.
const config = loadConfig();
const services = createReleaseServices(config);
const backupServices = createBackupServices(config);
const rotationServices = createRotationServices(config);
const state = createStateServices(config);
// Pushes this worker has seen start a release, whichever of the webhook and Event Grid delivered them.
const knownReleases = new KnownReleases();
const images = createImageRegistry(config);
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
  handler: acrWebhook(config, state.freezes, knownReleases),
});
tracked(app.eventGrid)(onImagePushedFunction, {
  extraInputs: [durableClient],
  handler: onImagePushed(config, state.freezes, knownReleases),
});
tracked(app.http)(releaseStatusFunction, {
  route: 'releases/{id}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: releaseStatus(state.freezes),
});
// What runs where: each target's production and slot images, known-good record, freezes and release.
tracked(app.http)(listTargetsFunction, {
  route: 'targets',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: listTargets(config, services, state.freezes),
});
// The dashboard: its page behind the function key (opened as /api/dashboard?code=<key>); its script,
// styles and chart library anonymous, as a browser loads them without the key (they hold no data).
tracked(app.http)(dashboardPageFunction, {
  route: 'dashboard',
  methods: ['GET'],
  authLevel: 'function',
  handler: dashboardPage(builtDashboard),
});
tracked(app.http)(dashboardAssetFunction, {
  route: 'dashboard/assets/{*asset}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: dashboardAsset(builtDashboard),
});
tracked(app.http)(targetReleasesFunction, {
  route: 'targets/{target}/releases',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: targetReleases(config),
});
// One image's way through its promotion chain, read from the releases of its digest.
tracked(app.http)(imageJourneyFunction, {
  route: 'images/{digest}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: imageJourney(config),
});
tracked(app.http)(startReleaseFunction, {
  route: 'targets/{target}/releases',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: startRelease(config, images, state.freezes),
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
  route: azureMonitorAlertRoute,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [durableClient],
  handler: azureMonitorAlert(config, state),
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

// Freezes: set by budgets, alerts and people; lifted by a budget's reset, a resolved alert or a person.
tracked(app.http)(listFreezesFunction, {
  route: 'freezes',
  methods: ['GET'],
  authLevel: 'function',
  handler: listFreezes(config, state.freezes),
});
tracked(app.http)(freezeEnvironmentFunction, {
  route: 'environments/{environment}/freeze',
  methods: ['PUT'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: freezeEnvironment(config, state),
});
tracked(app.http)(liftEnvironmentFreezeFunction, {
  route: 'environments/{environment}/freeze',
  methods: ['DELETE'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: liftEnvironmentFreeze(config, state),
});

// Cleanup: registry, backups, durable history and drift, on their schedules or on request.
const registryCleanup = createRegistryCleanupServices(config, services, images);
const backupsCleanup = createBackupsCleanupServices(config);
const driftCleanup = driftServicesOf(services, state);
const cleanupPlanners: Record<CleanupKind, CleanupPlanner> = {
  registry: planRegistryCleanup(config, registryCleanup),
  backups: planBackupsCleanup(config, backupsCleanup),
  history: planHistoryCleanup(config),
  drift: planDriftCleanup(config, driftCleanup),
};
const cleanupCarriers = {
  registry: carryOutRegistryItem(config, registryCleanup),
  backups: carryOutBackupsItem(config, backupsCleanup),
  history: carryOutHistoryItem,
  drift: carryOutDriftItem(config, driftCleanup),
};
tracked(app.http)(startCleanupFunction, {
  route: 'cleanup/{kind}',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: startCleanup(cleanupPlanners, config),
});
tracked(app.http)(cleanupRunStatusFunction, {
  route: 'cleanup/runs/{id}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: cleanupRunStatus,
});
for (const kind of cleanupKinds) {
  tracked(app.timer)(scheduledCleanupFunction(kind), {
    schedule: config.cleanup.schedules[kind],
    extraInputs: [durableClient],
    handler: scheduledCleanup(kind),
  });
}

tracked(app.http)(readAuditFunction, {
  route: 'audit',
  methods: ['GET'],
  authLevel: 'function',
  handler: readAudit(state.audit),
});

// Secrets: rotated on their schedule, on Key Vault's near-expiry event, or when a person asks.
tracked(app.http)(listSecretsFunction, {
  route: 'secrets',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: listSecrets(config, rotationServices),
});
tracked(app.http)(secretStatusFunction, {
  route: 'secrets/{name}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: secretStatus(config, rotationServices),
});
tracked(app.http)(rotateSecretFunction, {
  route: 'secrets/{name}/rotate',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: rotateSecret(config, rotationServices),
});
tracked(app.http)(rotationStatusFunction, {
  route: 'rotations/{id}',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: rotationStatus,
});
tracked(app.eventGrid)(onSecretExpiryFunction, {
  extraInputs: [durableClient],
  handler: onSecretExpiry(config, rotationServices),
});
tracked(app.timer)(scanSecretsFunction, {
  schedule: scanSecretsSchedule,
  extraInputs: [durableClient],
  handler: scanSecrets(config),
});

// A release keeps the flow it started on across a deploy of a newer Shepherd (orchestration versioning).
tracked(df.app.orchestration)(releaseOrchestrator, { handler: versionedFlow(releaseFlows) });
// A release's polling loops, each a sub-orchestration that continues as new to keep histories small.
tracked(df.app.orchestration)(warmUpLoopOrchestrator, { handler: warmUpLoop });
tracked(df.app.orchestration)(queueLoopOrchestrator, { handler: queueLoop });
tracked(df.app.orchestration)(watchLoopOrchestrator, { handler: watchLoop });
tracked(df.app.orchestration)(backupOrchestrator, { handler: backup });
tracked(df.app.orchestration)(restoreOrchestrator, { handler: restore });
tracked(df.app.orchestration)(rotationOrchestrator, { handler: rotation });
tracked(df.app.orchestration)(secretScanOrchestrator, { handler: secretScan });
tracked(df.app.orchestration)(budgetResponseOrchestrator, { handler: budgetResponse });
tracked(df.app.orchestration)(sendNoticeOrchestrator, { handler: sendNotice });
tracked(df.app.orchestration)(cleanupOrchestrator, { handler: cleanup });
tracked(df.app.orchestration)(cleanupChunkOrchestrator, { handler: cleanupChunk });
const activity = tracked(df.app.activity);
// Activities a release retries: each answers an AzureStepResult, so the release can tell a
// transient refusal (retried with backoff) from one that trying again cannot change.
activity(deployToSlotActivity, { handler: azureStep(deployToSlot(services)) });
activity(readProductionImageActivity, { handler: azureStep(readProductionImage(services)) });
activity(checkSlotHealthActivity, { handler: azureStep(checkSlotHealth(services)) });
activity(runSmokeChecksActivity, { handler: azureStep(runSmokeChecks(services)) });
activity(probeSlotActivity, { handler: azureStep(probeSlot(services)) });
// It tells an aborted release's loop to stop through the durable client.
activity(stopReleaseLoopActivity, { extraInputs: [durableClient], handler: stopReleaseLoop });
activity(setTrafficShareActivity, { handler: azureStep(setTrafficShare(services)) });
activity(clearTrafficRoutingActivity, { handler: azureStep(clearTrafficRouting(services)) });
activity(startSwapActivity, { handler: azureStep(startSwap(services)) });
activity(followSwapActivity, { handler: azureStep(followSwap(services)) });
activity(readKnownGoodActivity, { handler: azureStep(readKnownGood(services)) });
activity(recordKnownGoodActivity, { handler: azureStep(recordKnownGood(services)) });
const notify = notifyPeople(config);
activity(notifyPeopleActivity, { handler: azureStep(notify) });
// Freezes are set with the releases running on what they hold, read through the durable client.
activity(setFreezesActivity, {
  extraInputs: [durableClient],
  handler: azureStep(setFreezes(config, state.freezes)),
});
activity(liftFreezesActivity, { handler: azureStep(liftFreezes(state.freezes)) });
activity(readAppStatesActivity, { handler: azureStep(readAppStates(services.power)) });
activity(setAppStateActivity, { handler: azureStep(setAppState(services.power)) });
// Every cleanup activity may read the task hub (what runs, what is finished) through the durable client.
for (const kind of cleanupKinds) {
  const { plan, carryOut } = cleanupActivities(kind);
  activity(plan, { extraInputs: [durableClient], handler: azureStep(cleanupPlanners[kind]) });
  activity(carryOut, { extraInputs: [durableClient], handler: azureStep(cleanupCarriers[kind]) });
}
// Best effort: orchestrations record their audit entries and carry on whatever the answer.
activity(recordAuditActivity, { handler: azureStep(recordAudit(state.audit)) });
// It finds and stops the target's earlier releases through the durable client.
activity(supersedeEarlierReleasesActivity, {
  extraInputs: [durableClient],
  handler: azureStep(supersedeEarlierReleases),
});
// A successful release starts the next target's release of its image, and stops it again when
// taken back, through the durable client.
activity(promoteImageActivity, {
  extraInputs: [durableClient],
  handler: azureStep(promoteImage(config, state.freezes)),
});
activity(stopPromotedReleaseActivity, {
  extraInputs: [durableClient],
  handler: azureStep(stopPromotedRelease),
});
activity(readWindowMetricsActivity, { handler: readWindowMetrics(services) });
activity(takeBackupActivity, { handler: takeBackup(backupServices) });
activity(checkRestoreActivity, { handler: checkRestore(backupServices) });
activity(prepareRestoreDatabaseActivity, { handler: prepareRestoreDatabase(backupServices) });
activity(restoreBackupActivity, { handler: restoreBackup(backupServices) });
// A rotation's steps, each retried with backoff: the values they make never leave them.
activity(inspectSecretActivity, { handler: azureStep(inspectSecret(rotationServices)) });
activity(roleSessionsActivity, { handler: azureStep(roleSessions(rotationServices)) });
activity(writeSecretValueActivity, { handler: azureStep(writeSecretValue(rotationServices)) });
activity(restoreSecretVersionActivity, { handler: azureStep(restoreSecretVersion(rotationServices)) });
activity(switchConsumerActivity, { handler: azureStep(switchConsumer(rotationServices)) });
activity(lookAtConsumerActivity, { handler: azureStep(lookAtConsumer(rotationServices)) });
activity(tellExpiryActivity, {
  handler: azureStep(tellExpiry(rotationServices, (target, notice) => notify({ target, notice }))),
});
// It starts the rotations the daily scan finds due through the durable client.
activity(requestRotationActivity, {
  extraInputs: [durableClient],
  handler: azureStep(requestRotation(config)),
});
