import { app } from '@azure/functions';
import type { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { observations, observe } from './observations';
import './orchestrations';
import './samples';

app.http('getItem', {
  route: 'items/{id:int}',
  methods: ['GET'],
  authLevel: 'function',
  handler: (req: HttpRequest) => ({ jsonBody: { id: Number(req.params.id), q: req.query.get('q') } }),
});

app.http('getItemByName', {
  route: 'items/{name:alpha}/{*rest}',
  methods: ['GET'],
  authLevel: 'function',
  handler: (req: HttpRequest) => ({ jsonBody: { name: req.params.name, rest: req.params.rest ?? null } }),
});

app.http('adminOnly', {
  route: 'admin-area',
  methods: ['GET'],
  authLevel: 'admin',
  handler: () => ({ body: 'admin area' }),
});

app.http('echo', {
  route: 'echo',
  methods: ['POST', 'PUT'],
  authLevel: 'anonymous',
  handler: async (req: HttpRequest) => {
    const text = await req.text();
    return { status: 201, body: text, headers: { 'x-method': req.method, 'x-length': String(text.length) } };
  },
});

app.http('throws', {
  route: 'throws',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: () => {
    throw new Error('the handler broke');
  },
});

app.http('observations', {
  route: 'observations',
  methods: ['GET', 'DELETE'],
  authLevel: 'anonymous',
  handler: (req: HttpRequest) => {
    if (req.method === 'DELETE') observations.splice(0);
    return { jsonBody: observations };
  },
});

app.eventGrid('onEvent', {
  handler: (event, context: InvocationContext) => {
    context.log(`event ${event.id} of type ${event.eventType}`);
    observe('event', event);
  },
});

app.eventGrid('failingEvent', {
  handler: () => {
    throw new Error('cannot take this event');
  },
});

app.timer('hourly', {
  schedule: '0 0 * * * *',
  handler: (timer) => {
    observe('hourly', { isPastDue: timer.isPastDue });
  },
});

app.timer('atStartup', {
  schedule: '%TEST_YEARLY_SCHEDULE%',
  runOnStartup: true,
  handler: () => {
    observe('atStartup', true);
  },
});

const durableClient = df.input.durableClient();

app.http('startOrchestration', {
  route: 'orchestrators/{name}/{instanceId?}',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: async (req: HttpRequest, context: InvocationContext) => {
    const client = df.getClient(context);
    const body = await req.text();
    const instanceId = await client.startNew(req.params.name ?? '', {
      ...(req.params.instanceId ? { instanceId: req.params.instanceId } : {}),
      ...(body ? { input: JSON.parse(body) as unknown } : {}),
    });
    return client.createCheckStatusResponse(req, instanceId);
  },
});

/** Each durable client operation behind one route, so tests can drive the client binding itself. */
app.http('durableClientOps', {
  route: 'client/{op}/{instanceId?}',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [durableClient],
  handler: async (req: HttpRequest, context: InvocationContext) => {
    const client = df.getClient(context);
    const id = req.params.instanceId ?? '';
    const body = (await req.text()) || 'null';
    switch (req.params.op) {
      case 'status':
        return { jsonBody: await client.getStatus(id, { showHistory: true, showHistoryOutput: true }) };
      case 'raise':
        await client.raiseEvent(id, req.query.get('event') ?? '', JSON.parse(body));
        return { status: 202 };
      case 'terminate':
        await client.terminate(id, req.query.get('reason') ?? 'no reason');
        return { status: 202 };
      case 'purge':
        return { jsonBody: await client.purgeInstanceHistory(id) };
      case 'list':
        return {
          jsonBody: await client.getStatusBy({ runtimeStatus: [df.OrchestrationRuntimeStatus.Completed] }),
        };
      default:
        return { status: 404 };
    }
  },
});
