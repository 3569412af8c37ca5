import { z } from 'zod';
import type { Connection } from './connection';

/** How long one request may take before the CLI gives up on it. */
const requestTimeoutMs = 30_000;

/** What Shepherd answered to a request it accepted: the body as sent (for `--json`) and parsed. */
export interface Answer {
  status: number;
  text: string;
  body: unknown;
}

/** One thing wrong with a request, as a 400's problem lists them. */
export interface ProblemItem {
  path: string;
  message: string;
}

/** Shepherd (or the Functions host in front of it) refused a request: its problem+json, or the status alone. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';

  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: readonly ProblemItem[],
  ) {
    super(`${title} (${status})${detail === undefined ? '' : `: ${detail}`}`);
  }
}

/** No answer came: nothing listens there, the name does not resolve, or it took too long. */
export class Unreachable extends Error {
  override readonly name = 'Unreachable';

  constructor(
    /** The address asked: the API root and path, never the key (it travels in a header). */
    readonly url: string,
    readonly why: string,
  ) {
    super(`Could not reach Shepherd at ${url}: ${why}.`);
  }
}

const problemSchema = z.object({
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Words for a refusal that carries no problem+json: the Functions host answers 401 with an empty body. */
const bareStatus: Record<number, string> = {
  401: 'the function key was refused: check --key or SHEPHERD_KEY',
  404: 'there is no such route: check that --url or SHEPHERD_URL is Shepherd’s address',
};

/** Shepherd's HTTP API, asked with the function key in `x-functions-key`, as every key route takes it. */
export class ShepherdApi {
  constructor(private readonly connection: Connection) {}

  get(path: string): Promise<Answer> {
    return this.send('GET', path);
  }

  /** Sends `body` as JSON; throws ApiProblem for any status from 400 up, Unreachable when none came. */
  async send(method: string, path: string, body?: unknown): Promise<Answer> {
    const url = new URL(path.replace(/^\//, ''), this.connection.apiRoot);
    const signal = AbortSignal.timeout(requestTimeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          'x-functions-key': this.connection.key,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
    } catch (err) {
      throw new Unreachable(
        url.href,
        signal.aborted ? `no answer in ${requestTimeoutMs / 1000} s` : causeOf(err),
      );
    }
    const text = await res.text();
    const parsed = parseJson(text);
    if (res.status >= 400) throw toProblem(res, parsed);
    return { status: res.status, text, body: parsed };
  }
}

function toProblem(res: Response, body: unknown): ApiProblem {
  const problem = problemSchema.safeParse(body);
  const found = problem.success ? problem.data : {};
  return new ApiProblem(
    res.status,
    found.title ?? (res.statusText || 'Error'),
    found.detail ?? bareStatus[res.status],
    found.errors ?? [],
  );
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** What fetch's failure says underneath "fetch failed": e.g. `ECONNREFUSED` or `ENOTFOUND`. */
function causeOf(err: unknown): string {
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
