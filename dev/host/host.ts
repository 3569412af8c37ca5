import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { authorizeFunction, authorizeSystem, presentedKey } from './auth';
import { ScaledClock, SystemClock } from './clock';
import type { Clock } from './clock';
import { adoptClock, readStoredClock } from './clockFile';
import { durableClientData } from './durable/clientBinding';
import { DurableEngine } from './durable/engine';
import { handleDurableRequest } from './durable/managementApi';
import { InstanceStore } from './durable/store';
import { entryPointFiles } from './entryPoints';
import { handleEventGridRequest } from './eventGridWebhook';
import { FunctionsCore } from './functionsCore';
import type { RegisteredFunction } from './functionsCore';
import { readHostConfig } from './hostConfig';
import type { HostConfig } from './hostConfig';
import { buildRoutes, matchRoute, toRpcHttpRequest, writeRpcHttpResponse } from './httpTriggers';
import type { HttpRoute } from './httpTriggers';
import { BodyTooLargeError, readBody, sendProblem } from './httpUtil';
import { invokeFunction, jsonData } from './invoke';
import type { InvocationInput } from './invoke';
import { log } from './log';
import type { RpcInvocationResponse } from './rpc';
import { readLocalSettings } from './settings';
import type { HostKeys, LocalSettings } from './settings';
import { TimerScheduler } from './timers';
import { delayBeforeRetry } from './retry';

export interface LocalHostOptions {
  /** The function app's folder: package.json (its `main`), host.json, local.settings.json. */
  appDir: string;
  /** 7071 by default, as Core Tools; 0 picks a free port. */
  port?: number;
  /**
   * The host's time; by default the scaled clock last used over `dataDir`, if any, else real time. A
   * scaled clock is kept in `dataDir`, and one that reads earlier than the clock kept there is refused.
   */
  clock?: Clock;
  /** Where durable instances, timer status and the clock are kept; `defaultDataDir(appDir)` by default. */
  dataDir?: string;
  /** Used instead of reading `<appDir>/local.settings.json`. */
  settings?: LocalSettings;
}

const supportedTriggers = new Set([
  'httpTrigger',
  'timerTrigger',
  'eventGridTrigger',
  'orchestrationTrigger',
  'activityTrigger',
]);
const supportedInputs = new Set(['durableClient', 'orchestrationClient']);
/** The default of FUNCTIONS_REQUEST_BODY_SIZE_LIMIT in Azure: 100 MB. */
const defaultBodyLimit = 104_857_600;

/** Where a host keeps its state for the app in `appDir` unless told otherwise. */
export function defaultDataDir(appDir: string): string {
  return join(appDir, '.local', 'host');
}

/** The one FunctionsCore of this process: apps load once per process, as in a real worker. */
let processCore: FunctionsCore | undefined;
const loadedApps = new Set<string>();

/**
 * Plays the Azure Functions host and Node.js worker for one function app: loads the app through the
 * real `@azure/functions` registration path and serves its triggers over HTTP, on timers and as
 * durable work. Start with `LocalHost.start`, end with `stop`.
 */
export class LocalHost {
  readonly core: FunctionsCore;
  readonly keys: HostKeys;
  readonly engine: DurableEngine;
  readonly clock: Clock;
  readonly config: HostConfig;
  #server: Server;
  #timers: TimerScheduler;
  #routes: HttpRoute[] = [];
  #clientData: Record<string, unknown> = {};
  #bodyLimit: number;
  #url = '';
  /** Puts back the environment as it was before this host applied its settings to it. */
  #restoreEnvironment: () => void = () => undefined;

  private constructor(
    options: LocalHostOptions & { clock: Clock; dataDir: string },
    settings: LocalSettings,
    core: FunctionsCore,
  ) {
    this.core = core;
    this.clock = options.clock;
    this.keys = settings.Keys ?? generatedKeys();
    this.config = readHostConfig(options.appDir, process.env);
    const { dataDir } = options;
    this.engine = new DurableEngine(
      core,
      new InstanceStore(join(dataDir, this.config.taskHub, 'instances')),
      this.clock,
      this.config.overridableStates,
      (fn, input) => this.invoke(fn, input),
      this.config.versions,
    );
    this.#timers = new TimerScheduler(this.clock, join(dataDir, 'timers.json'), (fn, payload) =>
      this.#invokeTimer(fn, payload),
    );
    this.#bodyLimit = Number(process.env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT ?? defaultBodyLimit);
    this.#server = createServer((req, res) => {
      void this.#handle(req, res);
    });
  }

  static async start(options: LocalHostOptions): Promise<LocalHost> {
    const appDir = resolve(options.appDir);
    const settings = options.settings ?? readLocalSettings(join(appDir, 'local.settings.json'));
    const restoreEnvironment = environmentRestorer([
      ...Object.keys(settings.Values),
      'FUNCTIONS_WORKER_RUNTIME',
      'AzureWebJobsScriptRoot',
      'WEBSITE_HOSTNAME',
    ]);
    // Settings already in the environment win, so CI and tests can override the file.
    for (const [name, value] of Object.entries(settings.Values)) process.env[name] ??= value;
    process.env.FUNCTIONS_WORKER_RUNTIME ??= 'node';
    process.env.AzureWebJobsScriptRoot = appDir;

    if (!processCore) {
      processCore = new FunctionsCore();
      processCore.install();
    }
    const dataDir = options.dataDir ?? defaultDataDir(appDir);
    const clock = options.clock ?? readStoredClock(dataDir) ?? new SystemClock();
    if (clock instanceof ScaledClock) adoptClock(dataDir, clock);
    const host = new LocalHost({ ...options, appDir, clock, dataDir }, settings, processCore);
    host.#restoreEnvironment = restoreEnvironment;
    await host.#listen(options.port ?? settings.Host?.LocalHttpPort ?? 7071);
    try {
      await host.#loadApp(appDir);
    } catch (err) {
      await host.stop();
      throw err;
    }
    return host;
  }

  /** The host's base URL, e.g. `http://localhost:7071`. */
  get url(): string {
    return this.#url;
  }

  /** Resolves once no orchestration episode, activity or timer function is running. */
  async idle(): Promise<void> {
    await this.#timers.idle();
    await this.engine.idle();
  }

  async stop(): Promise<void> {
    this.#timers.stop();
    this.engine.stop();
    for (const hook of this.core.hooksFor('appTerminate'))
      await hook({ hookData: {}, appHookData: this.core.appHookData });
    this.#server.closeAllConnections();
    await new Promise<void>((done) => this.#server.close(() => done()));
    this.#restoreEnvironment();
  }

  /** Invokes a function with its trigger input, adding the durable client binding where it asks for one. */
  invoke(fn: RegisteredFunction, input: InvocationInput): Promise<RpcInvocationResponse> {
    const extraInputs = { ...input.extraInputs };
    for (const [name, binding] of Object.entries(fn.bindings)) {
      if (binding.direction === 'in' && supportedInputs.has(String(binding.type))) {
        extraInputs[name] = { string: JSON.stringify(this.#clientData) };
      }
    }
    return invokeFunction(this.core, fn, { ...input, extraInputs });
  }

  async #listen(port: number): Promise<void> {
    await new Promise<void>((done, fail) => {
      this.#server.once('error', fail);
      this.#server.listen(port, '127.0.0.1', () => done());
    });
    const address = this.#server.address() as AddressInfo;
    this.#url = `http://localhost:${address.port}`;
    // durable-functions rewrites management URLs to port 7071 unless WEBSITE_HOSTNAME names the host.
    process.env.WEBSITE_HOSTNAME = `localhost:${address.port}`;
    this.#clientData = durableClientData(
      this.#url,
      this.config.taskHub,
      this.keys.system.durabletask_extension ?? this.keys.master,
    );
  }

  async #loadApp(appDir: string): Promise<void> {
    const packageFile = join(appDir, 'package.json');
    const pkg = JSON.parse(readFileSync(packageFile, 'utf8')) as { main?: string };
    if (!pkg.main) throw new Error(`${packageFile} has no "main"; the host loads the app from it.`);
    const files = entryPointFiles(appDir, pkg.main);
    if (files.length === 0) throw new Error(`No file matches "main" (${pkg.main}) of ${packageFile}.`);
    for (const file of files) {
      if (loadedApps.has(file)) continue;
      // Once per process, as a worker loads an app once; import() takes CommonJS and ES module apps.
      await import(pathToFileURL(file).href);
      loadedApps.add(file);
    }
    const capabilities = await this.core.programmingModel?.getCapabilities?.({});
    if (capabilities?.HttpUri)
      throw new Error('The local host does not support HTTP streaming (app.setup enableHttpStream).');
    this.#checkBindings();
    for (const hook of this.core.hooksFor('appStart')) {
      await hook({ hookData: {}, appHookData: this.core.appHookData, functionAppDirectory: appDir });
    }
    this.#routes = buildRoutes(this.core.functions.values());
    this.#timers.start(this.core.functions.values());
    this.engine.resume();
    log({
      level: 'information',
      category: 'host',
      message: `Host started at ${this.#url} with ${this.core.functions.size} functions.`,
    });
  }

  #checkBindings(): void {
    const problems: string[] = [];
    for (const fn of this.core.functions.values()) {
      if (!supportedTriggers.has(fn.trigger.type)) problems.push(`${fn.name}: ${fn.trigger.type} triggers`);
      for (const [name, binding] of Object.entries(fn.bindings)) {
        if (name === fn.trigger.name) continue;
        const type = String(binding.type);
        if (binding.direction === 'in' && !supportedInputs.has(type))
          problems.push(`${fn.name}: ${type} input bindings`);
        if (binding.direction === 'out' && type !== 'http' && name !== '$return')
          problems.push(`${fn.name}: ${type} output bindings`);
      }
    }
    if (problems.length > 0) throw new Error(`The local host does not support:\n  ${problems.join('\n  ')}`);
  }

  async #invokeTimer(fn: RegisteredFunction, payload: Record<string, unknown>): Promise<void> {
    for (let retry = 0; ; retry++) {
      try {
        await this.invoke(fn, { trigger: jsonData(payload), ...(retry > 0 ? { retryCount: retry } : {}) });
        return;
      } catch (err) {
        const delay = delayBeforeRetry(fn.retryOptions, retry + 1);
        if (delay === undefined) throw err;
        await new Promise<void>((done) => this.clock.schedule(this.clock.now() + delay, done));
      }
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#url);
    try {
      const body = await readBody(req, this.#bodyLimit);
      await this.#route(req, res, url, body);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        sendProblem(res, 413, 'Payload too large', err.message);
        req.resume();
        return;
      }
      log({
        level: 'error',
        category: 'host',
        message: `${req.method ?? ''} ${url.pathname} failed: ${errorText(err)}`,
      });
      if (!res.headersSent) sendProblem(res, 500, 'Internal server error');
      else res.end();
    }
  }

  async #route(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const key = presentedKey(req, url);

    if (segments[0] === 'runtime' && segments[1] === 'webhooks') {
      const extension = segments[2] ?? '';
      if (!authorizeSystem(this.keys, `${extension}_extension`, key)) {
        sendProblem(res, 401, 'Unauthorized');
      } else if (extension === 'eventgrid') {
        const delivery = {
          functionFor: (name: string) => this.core.functions.get(name),
          deliver: (fn: RegisteredFunction, event: unknown) => this.#deliverEvent(fn, event),
        };
        await handleEventGridRequest(delivery, req, res, url, body);
      } else if (extension === 'durabletask') {
        handleDurableRequest(this.engine, this.#clientData, req, res, url, segments.slice(3), body);
      } else {
        sendProblem(res, 404, 'Not found');
      }
      return;
    }
    if (segments[0] === 'admin') {
      this.#admin(req, res, segments, key, body);
      return;
    }

    const prefix = this.config.routePrefix === '' ? [] : this.config.routePrefix.split('/');
    const underPrefix = prefix.every((p, i) => segments[i]?.toLowerCase() === p.toLowerCase());
    const match = underPrefix
      ? matchRoute(
          this.#routes,
          req.method ?? 'GET',
          segments.slice(prefix.length).map(encodeURIComponent).join('/'),
        )
      : undefined;
    if (!match) {
      sendProblem(res, 404, 'Not found');
    } else if ('methodNotAllowed' in match) {
      sendProblem(res, 405, 'Method not allowed');
    } else if (!authorizeFunction(this.keys, match.route.authLevel, match.route.fn.name, key)) {
      sendProblem(res, 401, 'Unauthorized');
    } else {
      await this.#runHttpFunction(match.route.fn, match.params, req, res, url, body);
    }
  }

  async #runHttpFunction(
    fn: RegisteredFunction,
    params: Record<string, string>,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<void> {
    try {
      const response = await this.invoke(fn, { trigger: toRpcHttpRequest(req, url, params, body) });
      writeRpcHttpResponse(fn, response, res);
    } catch (err) {
      // As in Azure: the caller learns only that the function failed; the log has the why.
      logFailure(fn, err);
      res.writeHead(500).end();
    }
  }

  #admin(
    req: IncomingMessage,
    res: ServerResponse,
    segments: string[],
    key: string | undefined,
    body: Buffer,
  ): void {
    if (segments[1] === 'host' && segments[2] === 'ping') {
      res.writeHead(200).end();
      return;
    }
    if (!authorizeFunction(this.keys, 'admin', '', key)) {
      sendProblem(res, 401, 'Unauthorized');
      return;
    }
    if (segments[1] === 'host' && segments[2] === 'status') {
      const status = {
        state: 'Running',
        version: this.core.module.hostVersion,
        functions: [...this.core.functions.keys()],
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status));
      return;
    }
    const fn = segments[1] === 'functions' && segments[2] ? this.core.functions.get(segments[2]) : undefined;
    if (!fn) {
      sendProblem(res, 404, 'Function not found');
      return;
    }
    if (req.method !== 'POST') {
      sendProblem(res, 405, 'Method not allowed');
      return;
    }
    let input: unknown;
    try {
      input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as { input?: unknown }).input : undefined;
    } catch {
      sendProblem(res, 400, 'Invalid JSON', 'The body must be {"input": ...}.');
      return;
    }
    const run = this.#runOnDemand(fn, input);
    if (!run) {
      sendProblem(
        res,
        400,
        'Not invocable here',
        `${fn.trigger.type} functions are not invoked through the admin API.`,
      );
      return;
    }
    run.catch((err: unknown) => {
      log({
        level: 'error',
        category: 'host',
        message: `On-demand run failed: ${errorText(err)}`,
        functionName: fn.name,
      });
    });
    res.writeHead(202).end();
  }

  async #deliverEvent(fn: RegisteredFunction, event: unknown): Promise<void> {
    try {
      await this.invoke(fn, { trigger: jsonData(event) });
    } catch (err) {
      logFailure(fn, err);
      throw err;
    }
  }

  #runOnDemand(fn: RegisteredFunction, input: unknown): Promise<unknown> | undefined {
    if (fn.trigger.type === 'timerTrigger') return this.#timers.runNow(fn);
    if (fn.trigger.type === 'eventGridTrigger') {
      return this.#deliverEvent(fn, typeof input === 'string' ? JSON.parse(input) : input);
    }
    return undefined;
  }
}

function generatedKeys(): HostKeys {
  const key = (): string => randomBytes(32).toString('base64url');
  log({
    level: 'warning',
    category: 'host',
    message: 'local.settings.json has no Keys; function keys for this run were generated and are not shown.',
  });
  return {
    master: key(),
    host: { default: key() },
    functions: {},
    system: { eventgrid_extension: key(), durabletask_extension: key() },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function logFailure(fn: RegisteredFunction, err: unknown): void {
  log({
    level: 'error',
    category: 'host',
    message: `Executed (Failed): ${errorText(err)}`,
    functionName: fn.name,
  });
}

/**
 * What `names` hold in the environment now, to put back when a host in this process stops: a host
 * writes its settings into `process.env`, where a later host — or a child process started after —
 * would otherwise find the earlier one's settings winning over its own.
 */
function environmentRestorer(names: string[]): () => void {
  const before = new Map(names.map((name) => [name, process.env[name]]));
  return () => {
    for (const [name, value] of before) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  };
}
