import Module from 'node:module';
import type * as core from './rpc';
import { log as writeLog } from './log';

/** A function as the app registered it through `@azure/functions`. */
export interface RegisteredFunction {
  name: string;
  bindings: Record<string, core.RpcBindingInfo & Record<string, unknown>>;
  retryOptions: core.RpcRetryOptions | undefined;
  callback: core.FunctionCallback;
  /** The binding that triggers the function, with its name. */
  trigger: { name: string; type: string; options: Record<string, unknown> };
}

type HookCallback = (context: Record<string, unknown>) => unknown;

class Disposable {
  static from(...items: { dispose: () => unknown }[]): Disposable {
    return new Disposable(() => {
      for (const item of items) item.dispose();
    });
  }
  #onDispose: (() => unknown) | undefined;
  constructor(onDispose: () => unknown) {
    this.#onDispose = onDispose;
  }
  dispose(): unknown {
    const fn = this.#onDispose;
    this.#onDispose = undefined;
    return fn?.();
  }
}

/**
 * What the Azure Functions Node.js worker gives apps as the built-in `@azure/functions-core` module:
 * function and hook registration and the programming model slot that `@azure/functions` fills.
 */
export class FunctionsCore {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<string, HookCallback[]>();
  readonly appHookData: Record<string, unknown> = {};
  programmingModel: core.ProgrammingModel | undefined;

  /** The object apps receive from `require('@azure/functions-core')`. */
  readonly module: Record<string, unknown> = {
    version: '3.10.1',
    hostVersion: '4.1037.0',
    Disposable,
    registerFunction: (metadata: core.FunctionMetadata, callback: core.FunctionCallback) =>
      this.#registerFunction(metadata, callback),
    registerHook: (hookName: string, callback: HookCallback) => this.#registerHook(hookName, callback),
    setProgrammingModel: (model: core.ProgrammingModel) => {
      this.programmingModel = model;
    },
    getProgrammingModel: () => this.programmingModel,
    log: (level: core.RpcLogLevel, category: core.RpcLogCategory, message: string) => {
      writeLog({ level, category, message });
    },
  };

  /**
   * Makes `require('@azure/functions-core')` return this module, the way the real worker does,
   * for every module loaded after this call.
   */
  install(): void {
    const proto = Module.prototype as unknown as { require: (id: string) => unknown };
    const original = proto.require;
    const coreModule = this.module;
    proto.require = new Proxy(original, {
      apply(target, thisArg: unknown, args: [string]) {
        if (args[0] === '@azure/functions-core') return coreModule;
        return Reflect.apply(target, thisArg, args);
      },
    });
  }

  hooksFor(name: string): HookCallback[] {
    return this.hooks.get(name) ?? [];
  }

  #registerFunction(metadata: core.FunctionMetadata, callback: core.FunctionCallback): Disposable {
    if (this.functions.has(metadata.name)) {
      throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
    }
    const bindings = metadata.bindings as RegisteredFunction['bindings'];
    const triggerEntry = Object.entries(bindings).find(
      ([, b]) =>
        b.direction === 'in' && typeof b.type === 'string' && b.type.toLowerCase().endsWith('trigger'),
    );
    if (!triggerEntry) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    const [triggerName, triggerBinding] = triggerEntry;
    this.functions.set(metadata.name, {
      name: metadata.name,
      bindings,
      retryOptions: metadata.retryOptions,
      callback,
      trigger: { name: triggerName, type: String(triggerBinding.type), options: triggerBinding },
    });
    return new Disposable(() => this.functions.delete(metadata.name));
  }

  #registerHook(hookName: string, callback: HookCallback): Disposable {
    const list = this.hooks.get(hookName) ?? [];
    list.push(callback);
    this.hooks.set(hookName, list);
    return new Disposable(() => {
      this.hooks.set(
        hookName,
        (this.hooks.get(hookName) ?? []).filter((c) => c !== callback),
      );
    });
  }
}
