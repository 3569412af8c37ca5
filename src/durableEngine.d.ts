// The module of durable-functions (3.x) that makes the handler `df.app.orchestration` registers. Shepherd
// calls it itself so that the replay engine loads when an orchestration first runs, not with the app;
// test/host/lazyRegistration.test.ts checks that it behaves as `df.app.orchestration`'s handler does.
declare module 'durable-functions/lib/src/util/testingUtils.js' {
  import type { FunctionHandler } from '@azure/functions';
  import type { OrchestrationHandler } from 'durable-functions';

  export function createOrchestrator(flow: OrchestrationHandler): FunctionHandler;
}
