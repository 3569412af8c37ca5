import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredFunction } from './functionsCore';
import { readEventGridPayload } from './eventGridPayload';
import { sendJson, sendProblem } from './httpUtil';

const validationEventType = 'Microsoft.EventGrid.SubscriptionValidationEvent';

interface EventGridDelivery {
  functionFor(name: string): RegisteredFunction | undefined;
  deliver(fn: RegisteredFunction, event: unknown): Promise<void>;
}

/**
 * The Event Grid extension's webhook, `/runtime/webhooks/eventgrid?functionName=NAME`: the subscription
 * validation handshake (Event Grid schema), the CloudEvents abuse-protection handshake (OPTIONS), and
 * deliveries of single events or batches in either schema, one invocation per event.
 */
export async function handleEventGridRequest(
  host: EventGridDelivery,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): Promise<void> {
  const fn = host.functionFor(url.searchParams.get('functionName') ?? '');
  if (!fn || fn.trigger.type !== 'eventGridTrigger') {
    sendProblem(res, 404, 'Function not found', 'functionName must name an Event Grid triggered function.');
    return;
  }
  if (req.method === 'OPTIONS') {
    const origin = req.headers['webhook-request-origin'];
    res.writeHead(
      200,
      typeof origin === 'string' ? { 'webhook-allowed-origin': origin, 'webhook-allowed-rate': '*' } : {},
    );
    res.end();
    return;
  }
  if (req.method !== 'POST') {
    sendProblem(res, 405, 'Method not allowed');
    return;
  }

  const payload = readEventGridPayload(body);
  if ('problem' in payload) {
    sendProblem(res, 400, 'Invalid Event Grid delivery', payload.problem);
    return;
  }
  const { events } = payload;

  const eventType = req.headers['aeg-event-type'];
  const validation = events.find((e) => e.eventType === validationEventType) as
    { data?: { validationCode?: unknown } } | undefined;
  if (eventType === 'SubscriptionValidation' || validation) {
    const code = validation?.data?.validationCode;
    if (typeof code !== 'string') {
      sendProblem(res, 400, 'Invalid validation event', 'The validation event has no data.validationCode.');
      return;
    }
    sendJson(res, 200, { validationResponse: code });
    return;
  }
  if (eventType === 'Unsubscribe') {
    res.writeHead(202).end();
    return;
  }

  try {
    // In order, one at a time, as the extension invokes a single-event function for each event in a batch.
    for (const event of events) await host.deliver(fn, event);
  } catch {
    // Event Grid retries a delivery that did not get a 2xx.
    sendProblem(res, 500, 'Function failed', `'${fn.name}' failed; Event Grid will retry the delivery.`);
    return;
  }
  res.writeHead(202).end();
}
