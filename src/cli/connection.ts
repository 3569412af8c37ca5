import { UsageError } from './usageError';

/** Where Shepherd answers and the function key to show it: what every request needs. */
export interface Connection {
  /** Shepherd's API root, ending in `/api/`. */
  apiRoot: URL;
  key: string;
}

/** Where `npm start` runs Shepherd: the local host's default address. */
export const defaultUrl = 'http://localhost:7071';

/**
 * The connection from `--url` and `--key`, else `SHEPHERD_URL` and `SHEPHERD_KEY`; the URL defaults
 * to the local host. The URL is the function app's (`https://<app>.azurewebsites.net`), with or
 * without `/api`.
 */
export function connectionOf(
  flags: { url?: string | undefined; key?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): Connection {
  const url = nonEmpty(flags.url) ?? nonEmpty(env.SHEPHERD_URL) ?? defaultUrl;
  const key = nonEmpty(flags.key) ?? nonEmpty(env.SHEPHERD_KEY);
  if (key === undefined)
    throw new UsageError(
      'No function key: pass --key or set SHEPHERD_KEY (Shepherd refuses requests without one).',
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `${url} is not a URL: pass --url or set SHEPHERD_URL to Shepherd's address, e.g. ${defaultUrl}.`,
    );
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.search !== '' || parsed.username !== '')
    throw new UsageError(
      `${url} is not an http(s) address without a query or user: pass Shepherd's address, e.g. ${defaultUrl}.`,
    );
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return { apiRoot: new URL(`${parsed.origin}${path}/api/`), key };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
