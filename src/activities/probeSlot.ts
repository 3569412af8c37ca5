import type { ReleaseServices } from '../services';
import { askSlot, describeAnswer } from './askSlot';
import type { SlotTarget } from './releaseTypes';

/** One round of probes of a slot: what was sent and answered, for leaving the probes out of its metrics. */
export interface ProbeRound {
  /** Requests that reached the slot: Azure Monitor counts them with the users'. */
  sent: number;
  /** Of those, how many the slot answered with a 5xx. */
  http5xx: number;
  /** The probes that did not answer as expected, described; none when the round passed. */
  failures: string[];
}

/**
 * One round of probes of the slot while a canary step runs: each path once on the slot's own host
 * name, redirects not followed, each expected to answer its status. The host name is read once per
 * slot and kept, since probes come every few seconds and a slot's host name does not change.
 */
export function probeSlot(services: ReleaseServices) {
  const hosts = new Map<string, Promise<string>>();
  return async (
    input: SlotTarget & { checks: { path: string; expectStatus: number }[] },
  ): Promise<ProbeRound> => {
    const key = `${input.site.subscriptionId}/${input.site.resourceGroup}/${input.site.name}/${input.slot}`;
    let host = hosts.get(key);
    if (!host) {
      host = services.slots.hostName(input.site, input.slot);
      hosts.set(key, host);
      host.catch(() => hosts.delete(key));
    }
    const name = await host;
    const round: ProbeRound = { sent: 0, http5xx: 0, failures: [] };
    for (const check of input.checks) {
      const answer = await askSlot(name, check.path);
      if (answer.answered) {
        round.sent += 1;
        if (answer.status >= 500) round.http5xx += 1;
      }
      if (!answer.answered || answer.status !== check.expectStatus)
        round.failures.push(describeAnswer(check.path, answer));
    }
    return round;
  };
}
