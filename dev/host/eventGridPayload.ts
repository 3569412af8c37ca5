/** Json.NET's default `MaxDepth`, which the Event Grid extension's parser applies to a delivery. */
const maxDepth = 64;
/** In a `u` regular expression a paired surrogate is one code point, so this finds only lone ones. */
const loneSurrogate = /[\uD800-\uDFFF]/u;

export type EventGridPayload = { events: Record<string, unknown>[] } | { problem: string };

/**
 * Reads an Event Grid delivery: UTF-8 text (a byte order mark allowed, as the HTTP triggers allow it)
 * holding one event or a non-empty array of events, each in the Event Grid schema (`id`, `eventType`,
 * `subject`, `eventTime`) or CloudEvents 1.0 (`id`, `source`, `type`, `specversion`). Anything else is a
 * problem for the caller to fix, never a failed invocation that Event Grid would retry.
 */
export function readEventGridPayload(body: Buffer): EventGridPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { problem: 'The Event Grid delivery is not valid JSON in UTF-8.' };
  }
  const unusable = unusableValue(parsed);
  if (unusable) return { problem: unusable };
  const events: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  if (events.length === 0) return { problem: 'The Event Grid delivery holds no events.' };
  const wrong = events.findIndex((e) => !isEvent(e));
  if (wrong >= 0) {
    return {
      problem: `Event ${String(wrong)} is neither an Event Grid event (id, eventType, subject, eventTime) nor a CloudEvent (id, source, type, specversion).`,
    };
  }
  return { events: events as Record<string, unknown>[] };
}

/**
 * Why a parsed value cannot be handed on intact, if it cannot: nested deeper than the extension reads,
 * a number too large for a double (JSON.parse would make it Infinity), or text that is not Unicode.
 * Walked without recursion, so that no nesting can exhaust the stack.
 */
function unusableValue(root: unknown): string | undefined {
  const pending: [unknown, number][] = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value === 'number' && !Number.isFinite(value)) return 'A number is too large.';
    if (typeof value === 'string' && loneSurrogate.test(value)) return 'A string is not well-formed Unicode.';
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return `The delivery is nested deeper than ${String(maxDepth)} levels.`;
    const entries = Array.isArray(value) ? value : Object.entries(value).flat();
    for (const child of entries) pending.push([child, depth + 1]);
  }
  return undefined;
}

function isEvent(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  const strings = (...names: string[]): boolean => names.every((n) => typeof fields[n] === 'string');
  return strings('id', 'eventType', 'subject', 'eventTime') || strings('id', 'source', 'type', 'specversion');
}
