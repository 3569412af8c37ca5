import { loadConfig } from './config';
import { KnownReleases } from './knownReleases';

// The parts Shepherd's functions share, each made once per process, when a function first needs it.
// Only the settings are made before that: the app's start checks them (see src/index.ts).

/** Makes a part on first use and keeps it; a part that failed to make is tried again next time. */
function madeOnFirstUse<T>(make: () => T): () => T {
  let made: { part: T } | undefined;
  return () => {
    if (made) return made.part;
    const part = make();
    made = { part };
    if (part instanceof Promise) part.catch(() => (made = undefined));
    return part;
  };
}

/** The settings, checked; invalid settings throw, naming each bad value. */
export const config = madeOnFirstUse(() => loadConfig());

/** Pushes this worker has seen start a release, whichever of the webhook and Event Grid delivered them. */
export const knownReleases = new KnownReleases();

export const releaseServices = madeOnFirstUse(async () =>
  (await import('./services.js')).createReleaseServices(config()),
);
export const images = madeOnFirstUse(async () =>
  (await import('./services.js')).createImageRegistry(config()),
);
export const state = madeOnFirstUse(async () =>
  (await import('./stateServices.js')).createStateServices(config()),
);
export const backupServices = madeOnFirstUse(async () =>
  (await import('./backupServices.js')).createBackupServices(config()),
);
export const rotationServices = madeOnFirstUse(async () =>
  (await import('./rotationServices.js')).createRotationServices(config()),
);
/** Notices to people: releases and cleanups send them, and rotations their expiry warnings. */
export const notifier = madeOnFirstUse(async () =>
  (await import('./activities/notifyPeople.js')).notifyPeople(config()),
);

async function makeCleanup() {
  const [
    registryCleanup,
    backupsCleanup,
    historyCleanup,
    driftCheck,
    registryServices,
    backupsServices,
    drift,
  ] = await Promise.all([
    import('./activities/registryCleanup.js'),
    import('./activities/backupCleanup.js'),
    import('./activities/historyCleanup.js'),
    import('./activities/driftCheck.js'),
    import('./registryCleanupServices.js'),
    import('./backupsCleanupServices.js'),
    import('./driftServices.js'),
  ]);
  const settings = config();
  const services = await releaseServices();
  const registry = registryServices.createRegistryCleanupServices(settings, services, await images());
  const backups = backupsServices.createBackupsCleanupServices(settings);
  const driftParts = drift.driftServicesOf(services, await state());
  return {
    planners: {
      registry: registryCleanup.planRegistryCleanup(settings, registry),
      backups: backupsCleanup.planBackupsCleanup(settings, backups),
      history: historyCleanup.planHistoryCleanup(settings),
      drift: driftCheck.planDriftCleanup(settings, driftParts),
    },
    carriers: {
      registry: registryCleanup.carryOutRegistryItem(settings, registry),
      backups: backupsCleanup.carryOutBackupsItem(settings, backups),
      history: historyCleanup.carryOutHistoryItem,
      drift: driftCheck.carryOutDriftItem(settings, driftParts),
    },
  };
}

/** Each cleanup kind's planner and carrier, sharing one set of services. */
export const cleanup = madeOnFirstUse(makeCleanup);
