import type { Notice } from './notice';
import { truncate } from './textLimit';

/** How long each part of the card may be, in characters, before it is shortened to fit. */
const fullLimits = {
  title: 200,
  text: 6_000,
  facts: 20,
  factName: 100,
  factValue: 1_000,
  actions: 5,
  action: 500,
};
type Limits = typeof fullLimits;

/**
 * Teams takes a webhook message of at most 28 KB (Teams docs, "Limits and specifications"); a card
 * over this many bytes is built again with its texts cut shorter.
 */
const maxBytes = 27_000;

/**
 * A Teams Workflows webhook message ("When a Teams webhook request is received" posting a card): one
 * Adaptive Card 1.4 (Teams renders up to 1.5) with the headline, the text, the facts as a FactSet and
 * what to do as a list, full width. Teams reads the TextBlocks and facts as Markdown.
 */
export function teamsMessage(notice: Notice): unknown {
  for (let share = 1; ; share /= 2) {
    const message = teamsMessageWithin(notice, scaled(share));
    if (Buffer.byteLength(JSON.stringify(message)) <= maxBytes) return message;
  }
}

/** The limits cut to a share of their length (each text keeps at least a few characters). */
function scaled(share: number): Limits {
  const cut = (n: number) => Math.max(8, Math.floor(n * share));
  return {
    ...fullLimits,
    title: cut(fullLimits.title),
    text: cut(fullLimits.text),
    factName: cut(fullLimits.factName),
    factValue: cut(fullLimits.factValue),
    action: cut(fullLimits.action),
  };
}

function teamsMessageWithin(notice: Notice, limits: Limits): unknown {
  const body: unknown[] = [];
  if (notice.title)
    body.push({
      type: 'TextBlock',
      text: truncate(notice.title, limits.title),
      size: 'Medium',
      weight: 'Bolder',
      wrap: true,
      ...(notice.urgent ? { color: 'Attention' } : {}),
    });
  body.push({
    type: 'TextBlock',
    text: truncate(notice.text, limits.text),
    wrap: true,
    ...(notice.urgent && !notice.title ? { color: 'Attention' } : {}),
  });
  const facts = (notice.facts ?? []).slice(0, limits.facts);
  if (facts.length > 0)
    body.push({
      type: 'FactSet',
      facts: facts.map((f) => ({
        title: truncate(f.name, limits.factName),
        value: truncate(f.value, limits.factValue),
      })),
    });
  const actions = (notice.actions ?? []).slice(0, limits.actions);
  if (actions.length > 0)
    body.push({
      type: 'TextBlock',
      text: actions.map((a) => `- ${truncate(`${a.title}: ${a.hint}`, limits.action)}`).join('\n'),
      wrap: true,
      isSubtle: true,
    });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
        },
      },
    ],
  };
}
