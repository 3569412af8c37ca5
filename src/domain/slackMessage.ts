import type { Notice } from './notice';
import { truncate } from './textLimit';

/**
 * Block Kit's limits (Slack's reference, "Blocks"): a header's plain text 150 characters, a section's
 * text 3,000, its fields 10 of 2,000 each. The message's own `text`, the fallback notifications show,
 * is kept to a section's length too.
 */
const limits = { header: 150, text: 3_000, fields: 10, field: 2_000 };

/**
 * Text in Slack's mrkdwn with the three characters Slack reads as markup escaped, as its
 * "Formatting text" reference asks, so a reason or image name shows as written and cannot mention
 * a channel or make a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const mrkdwn = (text: string, max: number) => ({
  type: 'mrkdwn',
  text: truncate(escapeMrkdwn(text), max, true),
});

/**
 * A Slack incoming webhook message: `text` for notifications, and blocks: the headline as a header,
 * the text, the facts as fields (name in bold, value below) and what to do, each within Block Kit's limits.
 */
export function slackMessage(notice: Notice): unknown {
  const blocks: unknown[] = [];
  if (notice.title)
    blocks.push({
      type: 'header',
      // plain_text is shown as written: nothing to escape.
      text: { type: 'plain_text', text: truncate(notice.title, limits.header) },
    });
  blocks.push({ type: 'section', text: mrkdwn(notice.text, limits.text) });
  const facts = (notice.facts ?? []).slice(0, limits.fields);
  if (facts.length > 0)
    blocks.push({
      type: 'section',
      fields: facts.map((f) => mrkdwn(`*${f.name}*\n${f.value}`, limits.field)),
    });
  if (notice.actions !== undefined && notice.actions.length > 0)
    blocks.push({
      type: 'section',
      text: mrkdwn(notice.actions.map((a) => `• ${a.title}: ${a.hint}`).join('\n'), limits.text),
    });
  return { text: truncate(escapeMrkdwn(notice.text), limits.text, true), blocks };
}
