/** Marks text that was cut to fit a limit. */
const ellipsis = '…';

/**
 * Cuts `text` to at most `max` UTF-16 code units (what the chat services' limits count, or more),
 * ending in `…` when cut. It never splits a surrogate pair, nor an entity such as `&amp;` when
 * `entities` is set (text already escaped for Slack), so the cut text still shows what it said.
 */
export function truncate(text: string, max: number, entities = false): string {
  if (text.length <= max) return text;
  let cut = max - ellipsis.length;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  let kept = text.slice(0, cut);
  if (entities) {
    const amp = kept.lastIndexOf('&');
    if (amp !== -1 && !kept.includes(';', amp)) kept = kept.slice(0, amp);
  }
  return kept + ellipsis;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
