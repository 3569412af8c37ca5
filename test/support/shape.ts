/**
 * Where `actual` differs in shape from a published example: keys the example has that `actual` lacks,
 * or holds with another JSON type. Arrays compare their first elements. Values are not compared.
 */
export function shapeDifferences(example: unknown, actual: unknown, path = '$'): string[] {
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  // A null in the example says nothing of the type Azure puts there.
  if (example === null || example === undefined) return [];
  if (kind(example) !== kind(actual)) return [`${path}: expected ${kind(example)}, got ${kind(actual)}`];
  if (Array.isArray(example) && Array.isArray(actual)) {
    return example.length > 0 && actual.length > 0
      ? shapeDifferences(example[0], actual[0], `${path}[0]`)
      : [];
  }
  if (kind(example) !== 'object') return [];
  const a = actual as Record<string, unknown>;
  return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) =>
    key in a ? shapeDifferences(value, a[key], `${path}.${key}`) : [`${path}.${key}: missing`],
  );
}

/** Keys and value types, recursively (arrays by their first element): what "the same shape" compares. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [shapeOf(value[0])];
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}
