import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The Azure RBAC action an ARM request needs, derived as Azure names operations: the resource
 * provider's namespace, the resource types along the path (names dropped), then `read`, `write`,
 * `delete`, or for a POST the path's last segment as an `action`. The last `providers/` segment
 * wins, so an extension resource (`…/sites/web/providers/Microsoft.Insights/metrics`) is the
 * extension's operation. Azure Monitor's batch call (`…/metrics:getBatch`) needs metric read on each
 * resource it names. Undefined for a path that is not ARM's.
 */
export function armOperationOf(method: string, url: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  const at = path.search(/\/subscriptions\//i);
  if (at < 0) return undefined;
  const segments = path
    .slice(at + 1)
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  if (/^metrics:getbatch$/i.test(segments.at(-1) ?? '')) return 'Microsoft.Insights/metrics/read';
  const providers = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  const namespace = segments[providers + 1];
  if (providers < 0 || namespace === undefined) return undefined;
  const rest = segments.slice(providers + 2);
  const verb = method.toUpperCase();
  if (verb === 'POST') {
    const action = rest.pop();
    if (action === undefined) return undefined;
    return [namespace, ...typesOf(rest), action, 'action'].join('/');
  }
  const suffix = { GET: 'read', HEAD: 'read', PUT: 'write', PATCH: 'write', DELETE: 'delete' }[verb];
  if (suffix === undefined) return undefined;
  return [namespace, ...typesOf(rest), suffix].join('/');
}

/** The resource types of a `type/name/type/name…` path (a trailing type is a collection's). */
function typesOf(typeNamePairs: string[]): string[] {
  return typeNamePairs.filter((_, i) => i % 2 === 0);
}

/**
 * Where the sandbox writes the ARM operations Shepherd called, one per line, each the first time a
 * sandbox sees it. Requests are Shepherd's when their User-Agent starts with Shepherd's prefix
 * (`src/azure/userAgent.ts`); a test's or a person's own SDK calls are not counted.
 */
export class ArmOperationLog {
  readonly #seen = new Map<string, string>();

  constructor(private readonly file: string | undefined) {}

  /** Notes one request, if it is Shepherd's and ARM's and got past authentication. */
  note(method: string, url: string, userAgent: string | undefined, status: number): void {
    if (status === 401 || !/^shepherd\b/i.test(userAgent ?? '')) return;
    const operation = armOperationOf(method, url);
    if (operation === undefined) return;
    const key = operation.toLowerCase();
    if (this.#seen.has(key)) return;
    this.#seen.set(key, operation);
    if (this.file === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${operation}\n`);
  }

  /** The operations seen so far, in the order first seen. */
  operations(): string[] {
    return [...this.#seen.values()];
  }
}
