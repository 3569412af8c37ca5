/** A list response as Key Vault pages it: `nextLink` is null on the last page. */
export interface PageWire<T> {
  value: T[];
  nextLink: string | null;
}

export interface PageRequest {
  /** The vault's base URL and the list's path, e.g. `/secrets`, for the absolute `nextLink`. */
  url: string;
  apiVersion: string;
  maxResults: number;
  skipToken: string | undefined;
}

/**
 * One page of `items`, which must be in ascending order of `keyOf`. The `$skiptoken` of the next page
 * names the last key served rather than a position, so secrets added or removed between pages neither
 * repeat nor vanish.
 */
export function pageOf<T, W>(
  items: readonly T[],
  keyOf: (item: T) => string,
  toWire: (item: T) => W,
  request: PageRequest,
): PageWire<W> {
  const after = request.skipToken === undefined ? undefined : fromSkipToken(request.skipToken);
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, request.maxResults);
  const last = page.at(-1);
  const nextLink =
    rest.length > page.length && last !== undefined
      ? `${request.url}?api-version=${encodeURIComponent(request.apiVersion)}` +
        `&$skiptoken=${toSkipToken(keyOf(last))}&maxresults=${request.maxResults}`
      : null;
  return { value: page.map(toWire), nextLink };
}

function toSkipToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function fromSkipToken(token: string): string {
  return Buffer.from(token, 'base64url').toString('utf8');
}
