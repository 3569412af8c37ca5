import { randomUUID } from 'node:crypto';
import type { FunctionsCore, RegisteredFunction } from './functionsCore';
import { log } from './log';
import type { RpcInvocationResponse, RpcParameterBinding, RpcTypedData } from './rpc';

export interface InvocationInput {
  /** The trigger's value, as the host would send it over RPC. */
  trigger: RpcTypedData;
  /** Values for other input bindings, by binding name. */
  extraInputs?: Record<string, RpcTypedData>;
  triggerMetadata?: Record<string, RpcTypedData>;
  retryCount?: number;
}

/** A function invocation that threw; the message is what the function's error said. */
export class InvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    if (cause instanceof Error && cause.stack) this.stack = cause.stack;
  }
}

/**
 * Runs one invocation the way the Node.js worker does: programming model → arguments → preInvocation
 * hooks → function → postInvocation hooks → response.
 */
export async function invokeFunction(
  core: FunctionsCore,
  fn: RegisteredFunction,
  input: InvocationInput,
): Promise<RpcInvocationResponse> {
  const model = core.programmingModel;
  if (!model) throw new Error('The app did not set a programming model; is it built on @azure/functions v4?');
  const invocationId = randomUUID();
  const inputData: RpcParameterBinding[] = [{ name: fn.trigger.name, data: input.trigger }];
  for (const [name, data] of Object.entries(input.extraInputs ?? {})) inputData.push({ name, data });

  const coreContext: Parameters<typeof model.getInvocationModel>[0] = {
    invocationId,
    request: {
      invocationId,
      functionId: fn.name,
      inputData,
      triggerMetadata: input.triggerMetadata ?? {},
      traceContext: { traceParent: '', traceState: '', attributes: {} },
      retryContext:
        input.retryCount === undefined
          ? null
          : { retryCount: input.retryCount, maxRetryCount: fn.retryOptions?.maxRetryCount ?? 0 },
    },
    metadata: { name: fn.name, bindings: fn.bindings, retryOptions: fn.retryOptions ?? undefined },
    log: (level, category, message) => {
      log({ level, category, message, functionName: fn.name, invocationId });
    },
  };

  const invocation = await model.getInvocationModel(coreContext);
  const { context, inputs } = await invocation.getArguments();
  const hookData: Record<string, unknown> = {};
  let callback = fn.callback;

  coreContext.state = 'preInvocationHooks';
  for (const hook of core.hooksFor('preInvocation')) {
    const hookContext = {
      hookData,
      appHookData: core.appHookData,
      invocationContext: context,
      inputs,
      functionCallback: callback,
    };
    await hook(hookContext);
    callback = hookContext.functionCallback;
  }

  coreContext.state = 'invocation';
  let result: unknown;
  let error: unknown;
  try {
    result = await invocation.invokeFunction(context, inputs, callback);
  } catch (err) {
    error = err;
  }

  coreContext.state = 'postInvocationHooks';
  for (const hook of core.hooksFor('postInvocation')) {
    const hookContext = {
      hookData,
      appHookData: core.appHookData,
      invocationContext: context,
      inputs,
      result,
      error,
    };
    await hook(hookContext);
    result = hookContext.result;
    error = hookContext.error;
  }
  coreContext.state = undefined;

  // Callers log failures: only they know what the error means (an orchestrator's carries its state).
  if (error !== undefined && error !== null) throw new InvocationError(fn.name, error);
  return invocation.getResponse(context, result);
}

/** Reads a typed value the way the host does when it stores a function's return value. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (typeof data.json === 'string') return JSON.parse(data.json) as unknown;
  if (typeof data.string === 'string') return data.string;
  if (data.bytes) return Buffer.from(data.bytes).toString('base64');
  if (typeof data.int === 'number') return data.int;
  if (typeof data.double === 'number') return data.double;
  return undefined;
}

export function jsonData(value: unknown): RpcTypedData {
  return { json: JSON.stringify(value ?? null) };
}
