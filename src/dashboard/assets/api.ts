/** What went wrong with a call to Shepherd's API, in the words of its problem+json `detail`. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Shepherd's HTTP API, called with the function key the page was opened with (held in memory only). */
export interface Api {
  get<T>(path: string): Promise<T>;
  send(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown): Promise<unknown>;
}

interface ProblemBody {
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
}

/** The problem's `detail`, with each wrong field of a 400 after it; a plain sentence when there is none. */
async function problemOf(res: Response): Promise<ApiProblem> {
  if (res.status === 401)
    return new ApiProblem(
      401,
      'Shepherd refused the key: open the dashboard again as /api/dashboard?code=<function key>.',
    );
  let body: ProblemBody = {};
  if ((res.headers.get('content-type') ?? '').includes('json')) body = (await res.json()) as ProblemBody;
  const detail =
    typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : '';
  const fields = Array.isArray(body.errors)
    ? body.errors
        .map((e: unknown) => (typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : ''))
        .filter((m) => m !== '')
    : [];
  const text = [detail || `Shepherd answered ${res.status}.`, ...fields].join(' — ');
  return new ApiProblem(res.status, text);
}

/** The API on this page's own origin; `key` goes in `x-functions-key`, never in a URL. */
export function apiWith(key: string | undefined): Api {
  const headers = (json: boolean): Record<string, string> => ({
    accept: 'application/json',
    ...(key === undefined ? {} : { 'x-functions-key': key }),
    ...(json ? { 'content-type': 'application/json' } : {}),
  });
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`/api/${path}`, {
      method,
      headers: headers(body !== undefined),
      credentials: 'same-origin',
      cache: 'no-store',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw await problemOf(res);
    return (res.headers.get('content-type') ?? '').includes('json')
      ? ((await res.json()) as unknown)
      : undefined;
  }
  return {
    get: <T>(path: string) => call('GET', path) as Promise<T>,
    send: (method, path, body) => call(method, path, body),
  };
}

/** The path segment `value`, escaped. */
export const segment = (value: string): string => encodeURIComponent(value);
