import { azureCall, toAzureOperationError } from './azureOperationError';
import { sdk } from './sdk';
import type { SiteRef } from './siteRef';
import { deploymentSlot, describeSlot } from './siteRef';
import type { WebAppsClients } from './webAppsClients';

/** How a swap that `begin` started stands. */
export type SwapProgress =
  { state: 'running' } | { state: 'succeeded' } | { state: 'failed'; reason: string };

/**
 * Swapping a slot into production as App Service's long-running operation, started in one call and
 * followed in others, so that no single call has to outlive the swap (which can take minutes) and a
 * durable orchestration can follow it on timers, across restarts and timeouts.
 */
export interface SlotSwap {
  /**
   * Asks App Service to swap `slot` into production (it warms the slot up first) and returns as soon
   * as Azure has accepted, with a handle to follow the operation by: plain JSON, free of secrets.
   * Answers `busy` when Azure refuses because another operation on the site still runs (409), as a
   * swap started a moment ago does. Not idempotent: a second call swaps back once the first is done.
   */
  begin(site: SiteRef, slot: string): Promise<{ operation: string } | { busy: string }>;
  /** One look at the operation `begin` started. */
  progress(site: SiteRef, operation: string): Promise<SwapProgress>;
}

/** SlotSwap over `@azure/arm-appservice`'s `swapSlotWithProduction` poller and `restorePoller`. */
export class AppServiceSlotSwap implements SlotSwap {
  constructor(private readonly clients: WebAppsClients) {}

  async begin(site: SiteRef, slot: string): Promise<{ operation: string } | { busy: string }> {
    const name = deploymentSlot(slot);
    if (name === undefined) throw new RangeError('Production cannot be swapped into itself.');
    const operation = `swap ${describeSlot(site, slot)} into production`;
    try {
      const poller = this.clients
        .for(site)
        .swapSlotWithProduction(site.resourceGroup, site.name, { targetSlot: name, preserveVnet: true });
      // The poller sends the swap request when it is made; `submitted` waits for Azure's answer only.
      await poller.submitted();
      return { operation: await poller.serialize() };
    } catch (err) {
      const failure = toAzureOperationError(operation, err);
      if (failure.status === 409) return { busy: failure.reason };
      throw failure;
    }
  }

  async progress(site: SiteRef, operation: string): Promise<SwapProgress> {
    return azureCall(`follow the swap of ${site.name}`, async () => {
      const client = this.clients.client(site);
      const poller = sdk('@azure/arm-appservice').restorePoller(
        client,
        operation,
        client.webApps.swapSlotWithProduction,
      );
      try {
        const state = await poller.poll();
        return state.status === 'succeeded' ? { state: 'succeeded' } : { state: 'running' };
      } catch (err) {
        // The poller throws the operation's own error once Azure reports the swap failed or canceled.
        const status = poller.operationState?.status;
        if (status !== 'failed' && status !== 'canceled') throw err;
        const reason = toAzureOperationError('swap', err).reason;
        return { state: 'failed', reason: status === 'canceled' ? `canceled: ${reason}` : reason };
      }
    });
  }
}
