import { z } from 'zod';
import { RegistryError, invalidInput } from './errors';

/** ACR's page size when the caller gives no `n`. */
const defaultPageSize = 100;

/** The paging and ordering query of ACR's list operations; `orderby=` arrives empty in next links. */
const listQuerySchema = z.object({
  n: z.coerce.number().int().min(1).optional(),
  last: z.string().min(1).optional(),
  orderby: z
    .enum(['timedesc', 'timeasc', ''])
    .optional()
    .transform((o) => (o === '' ? undefined : o)),
  digest: z.string().min(1).optional(),
});

/** A list request's page size (`n`), continuation (`last`), order and, for tags, digest filter. */
export type ListQuery = z.infer<typeof listQuerySchema>;

/** Parses a list query, refusing a bad page size as the Docker Registry API does. */
export function parseListQuery(query: unknown): ListQuery {
  const parsed = listQuerySchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.path[0] === 'n')
    throw new RegistryError(400, 'PAGINATION_NUMBER_INVALID', 'invalid number of results requested', {
      n: (query as Record<string, unknown>).n,
    });
  throw invalidInput(parsed.error.issues, 'query');
}

/**
 * One page of `items` by ACR's rules: name order by default, where `last` means "names after this";
 * by last update time with `orderby`, where `last` means "after this item" (and the listing ends
 * if that item has gone meanwhile). `next` is the `last` of the following page, if there is one.
 */
export function pageOf<T>(
  items: T[],
  keyOf: (item: T) => string,
  timeOf: (item: T) => number,
  query: ListQuery,
): { items: T[]; next?: string } {
  const byKey = (a: T, b: T): number => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0);
  const sorted = [...items].sort((a, b) => {
    if (query.orderby === 'timedesc') return timeOf(b) - timeOf(a) || byKey(a, b);
    if (query.orderby === 'timeasc') return timeOf(a) - timeOf(b) || byKey(a, b);
    return byKey(a, b);
  });
  const { last } = query;
  let start = 0;
  if (last !== undefined) {
    if (query.orderby === undefined) {
      start = sorted.findIndex((item) => keyOf(item) > last);
      if (start < 0) start = sorted.length;
    } else {
      const at = sorted.findIndex((item) => keyOf(item) === last);
      start = at < 0 ? sorted.length : at + 1;
    }
  }
  const size = query.n ?? defaultPageSize;
  const page = sorted.slice(start, start + size);
  const lastOfPage = page.at(-1);
  return start + size < sorted.length && lastOfPage !== undefined
    ? { items: page, next: keyOf(lastOfPage) }
    : { items: page };
}

/**
 * The `Link` header pointing at the next page, in the form the SDK parses (it must start with `<`):
 * a path on the registry with `last`, `n` and `orderby`, and any other filter the request had.
 */
export function nextLink(path: string, query: ListQuery, next: string): string {
  const params = new URLSearchParams({
    last: next,
    n: String(query.n ?? defaultPageSize),
    orderby: query.orderby ?? '',
  });
  if (query.digest !== undefined) params.set('digest', query.digest);
  return `<${path}?${params.toString()}>; rel="next"`;
}
