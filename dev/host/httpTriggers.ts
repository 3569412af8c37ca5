import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthLevel } from './auth';
import type { RegisteredFunction } from './functionsCore';
import type { RpcHttpCookie, RpcHttpData, RpcInvocationResponse, RpcTypedData } from './rpc';
import { compileRoute } from './routes';
import type { CompiledRoute } from './routes';

export interface HttpRoute {
  fn: RegisteredFunction;
  route: CompiledRoute;
  methods: Set<string> | undefined;
  authLevel: AuthLevel;
}

export type RouteMatch =
  { route: HttpRoute; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

/** Orders routes as ASP.NET routing does: literal segments win over parameters, and catch-alls come last. */
function precedence(template: string): number[] {
  return template
    .split('/')
    .filter((s) => s !== '')
    .map((s) =>
      !s.startsWith('{') ? 0 : s.startsWith('{*') ? 4 : s.includes('?') ? 3 : s.includes(':') ? 1 : 2,
    );
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export function buildRoutes(functions: Iterable<RegisteredFunction>): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of functions) {
    if (fn.trigger.type !== 'httpTrigger') continue;
    const options = fn.trigger.options as { route?: string; methods?: string[]; authLevel?: AuthLevel };
    routes.push({
      fn,
      route: compileRoute(options.route ?? fn.name),
      methods: options.methods ? new Set(options.methods.map((m) => m.toUpperCase())) : undefined,
      authLevel: options.authLevel ?? 'anonymous',
    });
  }
  return routes.sort((a, b) => compare(precedence(a.route.template), precedence(b.route.template)));
}

export function matchRoute(routes: HttpRoute[], method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    const params = route.route.match(path);
    if (!params) continue;
    pathMatched = true;
    if (!route.methods || route.methods.has(method.toUpperCase())) return { route, params };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}

/** The RPC form of an incoming request, as the host sends it to the worker. */
export function toRpcHttpRequest(
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  body: Buffer,
): RpcTypedData {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const http: RpcHttpData = {
    method: req.method ?? 'GET',
    url: url.href,
    headers,
    query,
    params,
    body: body.length > 0 ? { bytes: body } : null,
  };
  return { http };
}

/** Writes the function's HTTP response binding to the real response. */
export function writeRpcHttpResponse(
  fn: RegisteredFunction,
  response: RpcInvocationResponse,
  res: ServerResponse,
): void {
  const http = findHttpOutput(fn, response);
  if (!http) {
    res.writeHead(204);
    res.end();
    return;
  }
  const headers: Record<string, string | string[]> = { ...(http.headers ?? {}) };
  const cookies = (http.cookies ?? []).map(toSetCookie);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(Number(http.statusCode ?? 200), headers);
  const body = http.body;
  if (body?.bytes) res.end(Buffer.from(body.bytes));
  else if (typeof body?.string === 'string') res.end(body.string);
  else res.end();
}

function findHttpOutput(fn: RegisteredFunction, response: RpcInvocationResponse): RpcHttpData | undefined {
  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (binding.direction !== 'out' || binding.type?.toLowerCase() !== 'http') continue;
    if (name === '$return') return response.returnValue?.http ?? undefined;
    const out = response.outputData?.find((o) => o.name === name);
    if (out?.data?.http) return out.data.http;
  }
  return undefined;
}

function toSetCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (typeof seconds === 'number') parts.push(`Expires=${new Date(seconds * 1000).toUTCString()}`);
  if (typeof cookie.maxAge?.value === 'number') parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined }[
    cookie.sameSite ?? 'none'
  ];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}
