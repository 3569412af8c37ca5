import { segment } from './api.js';
import type { Api } from './api.js';
import type { Action } from './actionDialog.js';

// The page's actions: the same endpoints, with the same bodies, that everyone else calls.

export function approve(api: Api, releaseId: string): Action {
  return {
    title: 'Approve the release',
    what: `Release ${releaseId} will move traffic to its slot.`,
    confirm: 'Approve',
    run: (reason) => api.send('POST', `releases/${segment(releaseId)}/approve`, { reason }),
    done: `Approved ${releaseId}.`,
  };
}

export function reject(api: Api, releaseId: string): Action {
  return {
    title: 'Reject the release',
    what: `Release ${releaseId} will end without moving any traffic.`,
    confirm: 'Reject',
    run: (reason) => api.send('POST', `releases/${segment(releaseId)}/reject`, { reason }),
    done: `Rejected ${releaseId}.`,
  };
}

export function rollBack(api: Api, target: string, running: boolean): Action {
  return {
    title: `Roll back ${target}`,
    what: running
      ? `The running release of ${target} will stop and roll back.`
      : `Production of ${target} will get its last known good image back.`,
    confirm: 'Roll back',
    run: (reason) => api.send('POST', `targets/${segment(target)}/rollback`, { reason }),
    done: `Rolling back ${target}.`,
  };
}

export function freeze(api: Api, environment: string): Action {
  return {
    title: `Freeze ${environment}`,
    what: `Pushes to the ${environment} environment will be recorded and refused; rollbacks still run.`,
    confirm: 'Freeze',
    askUntil: true,
    run: (reason, until) =>
      api.send('PUT', `environments/${segment(environment)}/freeze`, {
        reason,
        ...(until === undefined ? {} : { until }),
      }),
    done: `Froze ${environment}.`,
  };
}

export function liftFreeze(api: Api, environment: string): Action {
  return {
    title: `Lift the freezes of ${environment}`,
    what: `Releases to the ${environment} environment will run again (a freeze set by a setting stays).`,
    confirm: 'Lift',
    run: (reason) => api.send('DELETE', `environments/${segment(environment)}/freeze`, { reason }),
    done: `Lifted the freezes of ${environment}.`,
  };
}
