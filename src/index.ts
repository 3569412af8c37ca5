import { app } from '@azure/functions';
import { cleanupKinds } from './domain/cleanupPlan';
import {
  acrWebhookFunction,
  approveReleaseFunction,
  azureMonitorAlertFunction,
  azureMonitorAlertRoute,
  backupOrchestrator,
  budgetResponseOrchestrator,
  checkRestoreActivity,
  checkSlotHealthActivity,
  cleanupActivities,
  cleanupChunkOrchestrator,
  cleanupOrchestrator,
  cleanupRunStatusFunction,
  clearTrafficRoutingActivity,
  dashboardAssetFunction,
  dashboardPageFunction,
  deployToSlotActivity,
  earlierRotationsActivity,
  followSwapActivity,
  freezeEnvironmentFunction,
  healthCheckFunction,
  healthDetailsFunction,
  imageJourneyFunction,
  inspectSecretActivity,
  liftEnvironmentFreezeFunction,
  liftFreezesActivity,
  listBackupsFunction,
  listFreezesFunction,
  listSecretsFunction,
  listTargetsFunction,
  lookAtConsumerActivity,
  notifyPeopleActivity,
  onImagePushedFunction,
  onSecretExpiryFunction,
  operationStatusFunction,
  prepareRestoreDatabaseActivity,
  probeSlotActivity,
  promoteImageActivity,
  queueLoopOrchestrator,
  readAppStatesActivity,
  readAuditFunction,
  readKnownGoodActivity,
  readProductionImageActivity,
  readWindowMetricsActivity,
  recordAuditActivity,
  recordKnownGoodActivity,
  rejectReleaseFunction,
  releaseOrchestrator,
  releaseStatusFunction,
  requestRotationActivity,
  restoreBackupActivity,
  restoreOrchestrator,
  restoreSecretVersionActivity,
  roleSessionsActivity,
  rollbackTargetFunction,
  rotateSecretFunction,
  rotationOrchestrator,
  rotationStatusFunction,
  runSmokeChecksActivity,
  scanSecretsFunction,
  scheduledCleanupFunction,
  secretScanOrchestrator,
  secretStatusFunction,
  sendNoticeOrchestrator,
  setAppStateActivity,
  setFreezesActivity,
  setTrafficShareActivity,
  startBackupFunction,
  startCleanupFunction,
  startOverwritingRestoreFunction,
  startReleaseFunction,
  startRestoreFunction,
  startSwapActivity,
  stopPromotedReleaseActivity,
  stopReleaseLoopActivity,
  supersedeEarlierReleasesActivity,
  switchConsumerActivity,
  takeBackupActivity,
  targetReleasesFunction,
  tellExpiryActivity,
  warmUpLoopOrchestrator,
  watchLoopOrchestrator,
  writeSecretValueActivity,
} from './functionNames';
import { activity, durableClient, eventGrid, http, orchestration, timer } from './registration';
import { registeredFunctions } from './registry';
import { cleanupScheduleOf, scanSecretsSchedule } from './schedules';

// Every function is registered here, for Azure and for the local host alike, by name and trigger; the
// code behind each loads when it first runs (src/registration.ts).

// Invalid settings stop the app's start, naming each bad value, before any function runs.
app.hook.appStart(async () => {
  (await import('./appParts.js')).config();
});

/** Wraps an activity so that it answers an AzureStepResult (see src/activities/azureStep.ts). */
const azureStep = async () => (await import('./activities/azureStep.js')).azureStep;

// Anyone may ask whether Shepherd is alive; what it looks after is for key holders.
http(healthCheckFunction, { route: 'health', methods: ['GET'], authLevel: 'anonymous' }, async (p) => {
  const { healthCheck, liveness } = await import('./functions/healthCheck.js');
  return healthCheck(() => liveness(p.config()));
});
http(
  healthDetailsFunction,
  { route: 'health/details', methods: ['GET'], authLevel: 'function' },
  async (p) => {
    const { healthCheck, healthReport } = await import('./functions/healthCheck.js');
    return healthCheck(() => healthReport(p.config(), registeredFunctions));
  },
);

// The webhook authenticates with its own shared secret, which ACR sends in a custom header.
http(
  acrWebhookFunction,
  { route: 'hooks/acr', methods: ['POST'], authLevel: 'anonymous', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/acrWebhook.js')).acrWebhook(
      p.config(),
      (await p.state()).freezes,
      p.knownReleases,
    ),
);
eventGrid(onImagePushedFunction, { extraInputs: [durableClient] }, async (p) =>
  (await import('./functions/onImagePushed.js')).onImagePushed(
    p.config(),
    (await p.state()).freezes,
    p.knownReleases,
  ),
);
http(
  releaseStatusFunction,
  { route: 'releases/{id}', methods: ['GET'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) => (await import('./functions/releaseStatus.js')).releaseStatus((await p.state()).freezes),
);
// What runs where: each target's production and slot images, known-good record, freezes and release.
http(
  listTargetsFunction,
  { route: 'targets', methods: ['GET'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/listTargets.js')).listTargets(
      p.config(),
      await p.releaseServices(),
      (await p.state()).freezes,
    ),
);
// The dashboard: its page behind the function key (opened as /api/dashboard?code=<key>); its script,
// styles and chart library anonymous, as a browser loads them without the key (they hold no data).
http(dashboardPageFunction, { route: 'dashboard', methods: ['GET'], authLevel: 'function' }, async () => {
  const [{ dashboardPage }, { builtDashboard }] = await Promise.all([
    import('./functions/serveDashboard.js'),
    import('./dashboardFiles.js'),
  ]);
  return dashboardPage(builtDashboard);
});
http(
  dashboardAssetFunction,
  { route: 'dashboard/assets/{*asset}', methods: ['GET'], authLevel: 'anonymous' },
  async () => {
    const [{ dashboardAsset }, { builtDashboard }] = await Promise.all([
      import('./functions/serveDashboard.js'),
      import('./dashboardFiles.js'),
    ]);
    return dashboardAsset(builtDashboard);
  },
);
http(
  targetReleasesFunction,
  {
    route: 'targets/{target}/releases',
    methods: ['GET'],
    authLevel: 'function',
    extraInputs: [durableClient],
  },
  async (p) => (await import('./functions/targetReleases.js')).targetReleases(p.config()),
);
// One image's way through its promotion chain, read from the releases of its digest.
http(
  imageJourneyFunction,
  { route: 'images/{digest}', methods: ['GET'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) => (await import('./functions/imageJourney.js')).imageJourney(p.config()),
);
http(
  startReleaseFunction,
  {
    route: 'targets/{target}/releases',
    methods: ['POST'],
    authLevel: 'function',
    extraInputs: [durableClient],
  },
  async (p) =>
    (await import('./functions/startRelease.js')).startRelease(
      p.config(),
      await p.images(),
      (await p.state()).freezes,
    ),
);
http(
  approveReleaseFunction,
  { route: 'releases/{id}/approve', methods: ['POST'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/answerApproval.js')).answerApproval(true, p.config().easyAuthEnabled),
);
http(
  rejectReleaseFunction,
  { route: 'releases/{id}/reject', methods: ['POST'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/answerApproval.js')).answerApproval(false, p.config().easyAuthEnabled),
);

// Azure Monitor authenticates with the secret in the webhook URL it was given.
http(
  azureMonitorAlertFunction,
  { route: azureMonitorAlertRoute, methods: ['POST'], authLevel: 'anonymous', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/azureMonitorAlert.js')).azureMonitorAlert(p.config(), await p.state()),
);
http(
  rollbackTargetFunction,
  {
    route: 'targets/{target}/rollback',
    methods: ['POST'],
    authLevel: 'function',
    extraInputs: [durableClient],
  },
  async (p) => (await import('./functions/rollbackTarget.js')).rollbackTarget(p.config()),
);

http(
  startBackupFunction,
  {
    route: 'targets/{target}/backups',
    methods: ['POST'],
    authLevel: 'function',
    extraInputs: [durableClient],
  },
  async (p) => (await import('./functions/startBackup.js')).startBackup(p.config()),
);
http(
  listBackupsFunction,
  { route: 'targets/{target}/backups', methods: ['GET'], authLevel: 'function' },
  async (p) => (await import('./functions/listBackups.js')).listBackups(p.config(), await p.backupServices()),
);
http(
  startRestoreFunction,
  {
    route: 'targets/{target}/restores',
    methods: ['POST'],
    authLevel: 'function',
    extraInputs: [durableClient],
  },
  async (p) =>
    (await import('./functions/startRestore.js')).startRestore(p.config(), await p.backupServices()),
);
// Replacing a database is destructive: the admin level (the host's master key), not a function key.
http(
  startOverwritingRestoreFunction,
  {
    route: 'targets/{target}/restores/overwrite',
    methods: ['POST'],
    authLevel: 'admin',
    extraInputs: [durableClient],
  },
  async (p) =>
    (await import('./functions/startRestore.js')).startOverwritingRestore(
      p.config(),
      await p.backupServices(),
    ),
);
// Backups and restores are followed here, never on the durable extension's URLs (they carry its system key).
http(
  operationStatusFunction,
  {
    route: 'targets/{target}/operations/{id}',
    methods: ['GET'],
    authLevel: 'function',
    extraInputs: [durableClient],
  },
  async (p) => (await import('./functions/operationStatus.js')).operationStatus(p.config()),
);

// Freezes: set by budgets, alerts and people; lifted by a budget's reset, a resolved alert or a person.
http(listFreezesFunction, { route: 'freezes', methods: ['GET'], authLevel: 'function' }, async (p) =>
  (await import('./functions/listFreezes.js')).listFreezes(p.config(), (await p.state()).freezes),
);
http(
  freezeEnvironmentFunction,
  {
    route: 'environments/{environment}/freeze',
    methods: ['PUT'],
    authLevel: 'function',
    extraInputs: [durableClient],
  },
  async (p) =>
    (await import('./functions/freezeEnvironment.js')).freezeEnvironment(p.config(), await p.state()),
);
http(
  liftEnvironmentFreezeFunction,
  {
    route: 'environments/{environment}/freeze',
    methods: ['DELETE'],
    authLevel: 'function',
    extraInputs: [durableClient],
  },
  async (p) =>
    (await import('./functions/freezeEnvironment.js')).liftEnvironmentFreeze(p.config(), await p.state()),
);

// Cleanup: registry, backups, durable history and drift, on their schedules or on request.
http(
  startCleanupFunction,
  { route: 'cleanup/{kind}', methods: ['POST'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/cleanupRoutes.js')).startCleanup((await p.cleanup()).planners, p.config()),
);
http(
  cleanupRunStatusFunction,
  { route: 'cleanup/runs/{id}', methods: ['GET'], authLevel: 'function', extraInputs: [durableClient] },
  async () => (await import('./functions/cleanupRoutes.js')).cleanupRunStatus,
);
for (const kind of cleanupKinds) {
  timer(
    scheduledCleanupFunction(kind),
    { schedule: cleanupScheduleOf(kind), extraInputs: [durableClient] },
    async () => (await import('./functions/cleanupRoutes.js')).scheduledCleanup(kind),
  );
}

http(readAuditFunction, { route: 'audit', methods: ['GET'], authLevel: 'function' }, async (p) =>
  (await import('./functions/readAudit.js')).readAudit((await p.state()).audit),
);

// Secrets: rotated on their schedule, on Key Vault's near-expiry event, or when a person asks.
http(
  listSecretsFunction,
  { route: 'secrets', methods: ['GET'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/secretStatus.js')).listSecrets(p.config(), await p.rotationServices()),
);
http(
  secretStatusFunction,
  { route: 'secrets/{name}', methods: ['GET'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/secretStatus.js')).secretStatus(p.config(), await p.rotationServices()),
);
http(
  rotateSecretFunction,
  { route: 'secrets/{name}/rotate', methods: ['POST'], authLevel: 'function', extraInputs: [durableClient] },
  async (p) =>
    (await import('./functions/rotateSecret.js')).rotateSecret(p.config(), await p.rotationServices()),
);
http(
  rotationStatusFunction,
  { route: 'rotations/{id}', methods: ['GET'], authLevel: 'function', extraInputs: [durableClient] },
  async () => (await import('./functions/rotationStatus.js')).rotationStatus,
);
eventGrid(onSecretExpiryFunction, { extraInputs: [durableClient] }, async (p) =>
  (await import('./functions/onSecretExpiry.js')).onSecretExpiry(p.config(), await p.rotationServices()),
);
timer(scanSecretsFunction, { schedule: scanSecretsSchedule, extraInputs: [durableClient] }, async (p) =>
  (await import('./functions/scanSecrets.js')).scanSecrets(p.config()),
);

// A release keeps the flow it started on across a deploy of a newer Shepherd (orchestration versioning).
orchestration(releaseOrchestrator, async () => {
  const [{ versionedFlow }, { releaseFlows }] = await Promise.all([
    import('./orchestrations/versionedFlow.js'),
    import('./orchestrations/releaseFlows.js'),
  ]);
  return versionedFlow(releaseFlows);
});
// A release's polling loops, each a sub-orchestration that continues as new to keep histories small.
orchestration(
  warmUpLoopOrchestrator,
  async () => (await import('./orchestrations/release/warmUp.js')).warmUpLoop,
);
orchestration(
  queueLoopOrchestrator,
  async () => (await import('./orchestrations/release/queue.js')).queueLoop,
);
orchestration(
  watchLoopOrchestrator,
  async () => (await import('./orchestrations/release/watch.js')).watchLoop,
);
orchestration(backupOrchestrator, async () => (await import('./orchestrations/backup.js')).backup);
orchestration(restoreOrchestrator, async () => (await import('./orchestrations/restore.js')).restore);
orchestration(
  rotationOrchestrator,
  async () => (await import('./orchestrations/rotation/rotation.js')).rotation,
);
orchestration(
  secretScanOrchestrator,
  async () => (await import('./orchestrations/secretScan.js')).secretScan,
);
orchestration(
  budgetResponseOrchestrator,
  async () => (await import('./orchestrations/budgetResponse.js')).budgetResponse,
);
orchestration(
  sendNoticeOrchestrator,
  async () => (await import('./orchestrations/sendNotice.js')).sendNotice,
);
orchestration(cleanupOrchestrator, async () => (await import('./orchestrations/cleanup.js')).cleanup);
orchestration(
  cleanupChunkOrchestrator,
  async () => (await import('./orchestrations/cleanup.js')).cleanupChunk,
);

// Activities a release retries: each answers an AzureStepResult, so the release can tell a
// transient refusal (retried with backoff) from one that trying again cannot change.
activity(deployToSlotActivity, async (p) =>
  (await azureStep())((await import('./activities/deployToSlot.js')).deployToSlot(await p.releaseServices())),
);
activity(readProductionImageActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/readProductionImage.js')).readProductionImage(await p.releaseServices()),
  ),
);
activity(checkSlotHealthActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/checkSlotHealth.js')).checkSlotHealth(await p.releaseServices()),
  ),
);
activity(runSmokeChecksActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/runSmokeChecks.js')).runSmokeChecks(await p.releaseServices()),
  ),
);
activity(probeSlotActivity, async (p) =>
  (await azureStep())((await import('./activities/probeSlot.js')).probeSlot(await p.releaseServices())),
);
// It tells an aborted release's loop to stop through the durable client.
activity(
  stopReleaseLoopActivity,
  async () => (await import('./activities/stopReleaseLoop.js')).stopReleaseLoop,
  [durableClient],
);
activity(setTrafficShareActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/routeTraffic.js')).setTrafficShare(await p.releaseServices()),
  ),
);
activity(clearTrafficRoutingActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/routeTraffic.js')).clearTrafficRouting(await p.releaseServices()),
  ),
);
activity(startSwapActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/swapIntoProduction.js')).startSwap(await p.releaseServices()),
  ),
);
activity(followSwapActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/swapIntoProduction.js')).followSwap(await p.releaseServices()),
  ),
);
activity(readKnownGoodActivity, async (p) =>
  (await azureStep())((await import('./activities/knownGood.js')).readKnownGood(await p.releaseServices())),
);
activity(recordKnownGoodActivity, async (p) =>
  (await azureStep())((await import('./activities/knownGood.js')).recordKnownGood(await p.releaseServices())),
);
activity(notifyPeopleActivity, async (p) => (await azureStep())(await p.notifier()));
// Freezes are set with the releases running on what they hold, read through the durable client.
activity(
  setFreezesActivity,
  async (p) =>
    (await azureStep())(
      (await import('./activities/setFreezes.js')).setFreezes(p.config(), (await p.state()).freezes),
    ),
  [durableClient],
);
activity(liftFreezesActivity, async (p) =>
  (await azureStep())((await import('./activities/liftFreezes.js')).liftFreezes((await p.state()).freezes)),
);
activity(readAppStatesActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/appPower.js')).readAppStates((await p.releaseServices()).power),
  ),
);
activity(setAppStateActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/appPower.js')).setAppState((await p.releaseServices()).power),
  ),
);
// Every cleanup activity may read the task hub (what runs, what is finished) through the durable client.
for (const kind of cleanupKinds) {
  const { plan, carryOut } = cleanupActivities(kind);
  activity(plan, async (p) => (await azureStep())((await p.cleanup()).planners[kind]), [durableClient]);
  activity(carryOut, async (p) => (await azureStep())((await p.cleanup()).carriers[kind]), [durableClient]);
}
// Best effort: orchestrations record their audit entries and carry on whatever the answer.
activity(recordAuditActivity, async (p) =>
  (await azureStep())((await import('./activities/recordAudit.js')).recordAudit((await p.state()).audit)),
);
// It finds and stops the target's earlier releases through the durable client.
activity(
  supersedeEarlierReleasesActivity,
  async () =>
    (await azureStep())((await import('./activities/supersedeEarlierReleases.js')).supersedeEarlierReleases),
  [durableClient],
);
// A successful release starts the next target's release of its image, and stops it again when
// taken back, through the durable client.
activity(
  promoteImageActivity,
  async (p) =>
    (await azureStep())(
      (await import('./activities/promoteImage.js')).promoteImage(p.config(), (await p.state()).freezes),
    ),
  [durableClient],
);
activity(
  stopPromotedReleaseActivity,
  async () => (await azureStep())((await import('./activities/stopPromotedRelease.js')).stopPromotedRelease),
  [durableClient],
);
activity(readWindowMetricsActivity, async (p) =>
  (await import('./activities/readWindowMetrics.js')).readWindowMetrics(await p.releaseServices()),
);
activity(takeBackupActivity, async (p) =>
  (await import('./activities/takeBackup.js')).takeBackup(await p.backupServices()),
);
activity(checkRestoreActivity, async (p) =>
  (await import('./activities/checkRestore.js')).checkRestore(await p.backupServices()),
);
activity(prepareRestoreDatabaseActivity, async (p) =>
  (await import('./activities/prepareRestoreDatabase.js')).prepareRestoreDatabase(await p.backupServices()),
);
activity(restoreBackupActivity, async (p) =>
  (await import('./activities/restoreBackup.js')).restoreBackup(await p.backupServices()),
);
// A rotation's steps, each retried with backoff: the values they make never leave them.
// One rotation of a secret at a time: the older of two started at once goes on (durable client).
activity(
  earlierRotationsActivity,
  async () => (await azureStep())((await import('./activities/earlierRotations.js')).earlierRotations),
  [durableClient],
);
activity(inspectSecretActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/inspectSecret.js')).inspectSecret(await p.rotationServices()),
  ),
);
activity(roleSessionsActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/roleSessions.js')).roleSessions(await p.rotationServices()),
  ),
);
activity(writeSecretValueActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/writeSecretValue.js')).writeSecretValue(await p.rotationServices()),
  ),
);
activity(restoreSecretVersionActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/restoreSecretVersion.js')).restoreSecretVersion(await p.rotationServices()),
  ),
);
activity(switchConsumerActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/switchConsumer.js')).switchConsumer(await p.rotationServices()),
  ),
);
activity(lookAtConsumerActivity, async (p) =>
  (await azureStep())(
    (await import('./activities/lookAtConsumer.js')).lookAtConsumer(await p.rotationServices()),
  ),
);
activity(tellExpiryActivity, async (p) => {
  const notify = await p.notifier();
  return (await azureStep())(
    (await import('./activities/tellExpiry.js')).tellExpiry(await p.rotationServices(), (target, notice) =>
      notify({ target, notice }),
    ),
  );
});
// It starts the rotations the daily scan finds due through the durable client.
activity(
  requestRotationActivity,
  async (p) =>
    (await azureStep())((await import('./activities/requestRotation.js')).requestRotation(p.config())),
  [durableClient],
);
