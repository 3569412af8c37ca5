import { app, input, trigger } from '@azure/functions';
import type {
  EventGridFunctionOptions,
  EventGridHandler,
  FunctionHandler,
  FunctionInput,
  HttpFunctionOptions,
  HttpHandler,
  TimerFunctionOptions,
  TimerHandler,
} from '@azure/functions';
import type { OrchestrationHandler } from 'durable-functions';
import { registeredFunctions } from './registry';

// Registration names each function and its trigger while the app loads, and nothing more: a function's
// code, the Azure SDKs and durable-functions itself load when the function first runs. So a worker
// starts in about the time a bare app takes, and a health check never loads the release engine.

/** The parts functions share (settings, services), made on first use. */
export type AppParts = typeof import('./appParts.js');

/** Loads a function's handler, from the parts it needs, when the function first runs. */
type HandlerLoader<H> = (parts: AppParts) => Promise<H>;

/**
 * A handler that loads the real one on its first call and then hands every call to it. A load that
 * failed (a module that threw) is tried again on the next call, as a fresh worker would.
 */
function loadedOnFirstCall<A extends unknown[], R>(
  load: HandlerLoader<(...args: A) => R>,
): (...args: A) => Promise<Awaited<R>> {
  let loading: Promise<(...args: A) => R> | undefined;
  return async (...args: A): Promise<Awaited<R>> => {
    loading ??= import('./appParts.js').then(load);
    const handler = await loading.catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    const result: Awaited<R> = await handler(...args);
    return result;
  };
}

/** The durable client input binding, as `df.input.durableClient()` makes it. */
export const durableClient: FunctionInput = input.generic({ type: 'durableClient' });

export function http(
  name: string,
  options: Omit<HttpFunctionOptions, 'handler'>,
  load: HandlerLoader<HttpHandler>,
): void {
  registeredFunctions.push(name);
  app.http(name, { ...options, handler: loadedOnFirstCall(load) });
}

export function eventGrid(
  name: string,
  options: Omit<EventGridFunctionOptions, 'handler'>,
  load: HandlerLoader<EventGridHandler>,
): void {
  registeredFunctions.push(name);
  app.eventGrid(name, { ...options, handler: loadedOnFirstCall(load) });
}

export function timer(
  name: string,
  options: Omit<TimerFunctionOptions, 'handler'>,
  load: HandlerLoader<TimerHandler>,
): void {
  registeredFunctions.push(name);
  app.timer(name, { ...options, handler: loadedOnFirstCall(load) });
}

/**
 * An orchestration, registered as `df.app.orchestration` does (an `orchestrationTrigger` whose handler
 * durable-functions' replay engine wraps), except that the engine and the flow load on the first run.
 */
export function orchestration(name: string, load: () => Promise<OrchestrationHandler>): void {
  registeredFunctions.push(name);
  app.generic(name, {
    trigger: trigger.generic({ type: 'orchestrationTrigger' }),
    handler: loadedOnFirstCall(async () => {
      const [engine, flow] = await Promise.all([
        import('durable-functions/lib/src/util/testingUtils.js'),
        load(),
      ]);
      return engine.createOrchestrator(flow);
    }),
  });
}

/**
 * An activity, registered as `df.app.activity` does (an `activityTrigger`). durable-functions' own
 * wrapper only rewrites errors when an exception properties provider is set, which Shepherd never sets.
 */
export function activity(
  name: string,
  load: HandlerLoader<FunctionHandler>,
  extraInputs?: FunctionInput[],
): void {
  registeredFunctions.push(name);
  app.generic(name, {
    trigger: trigger.generic({ type: 'activityTrigger' }),
    ...(extraInputs ? { extraInputs } : {}),
    handler: loadedOnFirstCall(load),
  });
}
