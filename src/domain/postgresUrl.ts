/**
 * The parts of a libpq connection URL, `postgres://user:password@host:port/database?key=value&…`,
 * decoded. It holds a password: keep it out of logs, status and errors.
 */
export interface PostgresUrl {
  user: string | undefined;
  password: string | undefined;
  /** A name or an IP address, IPv6 without its brackets. */
  host: string | undefined;
  port: number | undefined;
  database: string | undefined;
  /** The query's parameters (`sslmode`, `application_name`, …) in their order, decoded. */
  params: Record<string, string>;
}

export type PostgresUrlReading = { url: PostgresUrl } | { problem: string };

const scheme = /^postgres(ql)?:\/\//i;
/** A scheme and user info followed by no host: `postgres://user:password@/db`. */
const hostlessAuthority = /^(postgres(?:ql)?:\/\/[^/?#]*@)(?=[/?#:]|$)/i;
/** Stands in for the missing host while the URL is parsed; `.invalid` is never a real name (RFC 2606). */
const placeholderHost = 'no-host.invalid';

/**
 * Reads a `postgres://` or `postgresql://` URL as libpq does: every part percent-decoded, a `+` left
 * a `+`. Never quotes the text in a problem, since the text holds a password. The `key=value` form,
 * several hosts and a `#` (which must be written `%23`) are refused.
 */
export function readPostgresUrl(text: string): PostgresUrlReading {
  const value = text.trim();
  if (!scheme.test(value))
    return { problem: 'expected a postgres:// or postgresql:// URL (the key=value form is not supported)' };
  // A URL parser would cut the text at a "#" as a fragment; libpq has no fragments.
  if (value.includes('#')) return { problem: 'it has a "#", which must be written %23' };
  // libpq takes a credential without a host (the default host then); the URL parser refuses one.
  const hostless = hostlessAuthority.test(value);
  let parsed: URL;
  try {
    parsed = new URL(hostless ? value.replace(hostlessAuthority, `$1${placeholderHost}`) : value);
  } catch {
    return { problem: 'it is not a valid connection URL' };
  }
  if (parsed.hostname.includes(',')) return { problem: 'it names more than one host' };
  const port = parsed.port === '' ? undefined : Number(parsed.port);
  if (port === 0) return { problem: 'its port is not a port number' };
  try {
    return {
      url: {
        user: decoded(parsed.username),
        password: decoded(parsed.password),
        host: hostless ? undefined : decoded(parsed.hostname.replace(/^\[(.*)\]$/, '$1')),
        port,
        database: decoded(parsed.pathname.replace(/^\//, '')),
        params: paramsOf(parsed.search),
      },
    };
  } catch (err) {
    return { problem: err instanceof UrlProblem ? err.message : 'it has a malformed %-escape' };
  }
}

/**
 * The URL of `url`'s parts, each percent-encoded so that any user, password or database name (`@`,
 * `:`, `/`, `%`, spaces, any script) reads back unchanged with {@link readPostgresUrl}, libpq (which
 * decodes every part) and node-postgres.
 */
export function toPostgresUrl(url: PostgresUrl): string {
  const user = url.user === undefined ? '' : encodeURIComponent(url.user);
  const password = url.password === undefined ? '' : `:${encodeURIComponent(url.password)}`;
  const userInfo = user === '' && password === '' ? '' : `${user}${password}@`;
  const host =
    url.host === undefined ? '' : url.host.includes(':') ? `[${url.host}]` : encodeURIComponent(url.host);
  const port = url.port === undefined ? '' : `:${url.port}`;
  const database = url.database === undefined ? '' : `/${encodeURIComponent(url.database)}`;
  const query = Object.entries(url.params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return `postgres://${userInfo}${host}${port}${database === '' && query !== '' ? '/' : database}${query === '' ? '' : `?${query}`}`;
}

class UrlProblem extends Error {}

function decoded(part: string): string | undefined {
  return part === '' ? undefined : decodeURIComponent(part);
}

/** Query parameters as libpq reads them: `+` is not a space there, unlike in HTML forms. */
function paramsOf(search: string): Record<string, string> {
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [string, string] => {
      const separator = pair.indexOf('=');
      if (separator < 1) throw new UrlProblem('a query parameter has no "key=value" form');
      return [decodeURIComponent(pair.slice(0, separator)), decodeURIComponent(pair.slice(separator + 1))];
    });
  // fromEntries defines own properties, so a "__proto__" key stays a parameter.
  return Object.fromEntries(pairs);
}
