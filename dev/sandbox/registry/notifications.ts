import type { Delivery } from '../delivery';
import type { EventOrigin, EventSchema, RegistryEvent } from './payloads';
import { toEventGridBatch } from './payloads';

/** A registry webhook, as ACR configures one: where it posts, for which actions, with which headers. */
export interface RegistryWebhook {
  name: string;
  serviceUri: string;
  customHeaders?: Record<string, string>;
  actions: ('push' | 'delete')[];
}

/** An Event Grid subscription to the registry's events: the endpoint it delivers to, in which schema. */
export interface RegistryEventGrid {
  endpoint: string;
  schema: EventSchema;
}

/** Everything that decides who hears of a registry event. */
export interface NotificationTargets {
  origin: EventOrigin;
  webhooks: RegistryWebhook[];
  eventGrid?: RegistryEventGrid;
}

/**
 * What ACR sends for `event`: the event itself to each webhook subscribed to its action (JSON unless
 * a custom header says otherwise, and no other headers, as the webhook reference says), and a
 * one-event batch to Event Grid with the headers Event Grid adds.
 */
export function deliveriesFor(targets: NotificationTargets, event: RegistryEvent): Delivery[] {
  const deliveries: Delivery[] = targets.webhooks
    .filter((w) => w.actions.includes(event.action))
    .map((w) => {
      const custom = w.customHeaders ?? {};
      const hasContentType = Object.keys(custom).some((h) => h.toLowerCase() === 'content-type');
      return {
        kind: 'webhook',
        name: w.name,
        url: w.serviceUri,
        headers: hasContentType ? { ...custom } : { 'content-type': 'application/json', ...custom },
        body: event,
      };
    });
  const grid = targets.eventGrid;
  if (grid) {
    deliveries.push({
      kind: 'eventGrid',
      name: 'eventGrid',
      url: grid.endpoint,
      headers:
        grid.schema === 'CloudEvents'
          ? {
              'content-type': 'application/cloudevents-batch+json; charset=utf-8',
              'aeg-event-type': 'Notification',
            }
          : {
              'content-type': 'application/json; charset=utf-8',
              'aeg-event-type': 'Notification',
              'aeg-data-version': '1.0',
              'aeg-metadata-version': '1',
            },
      body: toEventGridBatch(targets.origin, event, grid.schema),
      attemptCountHeader: 'aeg-delivery-count',
    });
  }
  return deliveries;
}
