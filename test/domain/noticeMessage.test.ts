import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Notice } from '../../src/domain/notice';
import { noticeMessage } from '../../src/domain/noticeMessage';
import { escapeMrkdwn } from '../../src/domain/slackMessage';
import { truncate } from '../../src/domain/textLimit';

const budgetNotice: Notice = {
  text: 'Budget team-dev is at 100% of $1,000.00: releases to dev are frozen.',
  urgent: true,
  title: 'Budget team-dev spent',
  facts: [
    { name: 'Budget', value: 'team-dev' },
    { name: 'Spent', value: '$1,000.00' },
  ],
  actions: [{ title: 'Re-release after the freeze', hint: 'POST /api/targets/web/releases' }],
};

interface TeamsCard {
  type: string;
  attachments: {
    contentType: string;
    contentUrl: null;
    content: {
      $schema: string;
      type: string;
      version: string;
      msteams: { width: string };
      body: {
        type: string;
        text?: string;
        color?: string;
        wrap?: boolean;
        facts?: { title: string; value: string }[];
      }[];
    };
  }[];
}

interface SlackMessage {
  text: string;
  blocks: {
    type: string;
    text?: { type: string; text: string };
    fields?: { type: string; text: string }[];
  }[];
}

const teams = (notice: Notice) => noticeMessage(notice, 'teams') as TeamsCard;
const slack = (notice: Notice) => noticeMessage(notice, 'slack') as SlackMessage;
const cardBody = (notice: Notice) => teams(notice).attachments[0]?.content.body ?? [];

describe('notice messages: JSON', () => {
  it('is the notice as it is, with every field scripts read', () => {
    const notice = { text: 'web: x is live.', urgent: false, release: { releaseId: 'r1' } };
    assert.deepEqual(noticeMessage(notice, 'json'), notice);
  });
});

describe('notice messages: Teams', () => {
  it('wraps one Adaptive Card 1.4 in a Workflows message, full width', () => {
    const message = teams(budgetNotice);
    assert.equal(message.type, 'message');
    assert.equal(message.attachments.length, 1);
    const attachment = message.attachments[0];
    assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(attachment.contentUrl, null);
    assert.equal(attachment.content.type, 'AdaptiveCard');
    assert.equal(attachment.content.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json');
    assert.equal(attachment.content.version, '1.4');
    assert.deepEqual(attachment.content.msteams, { width: 'Full' });
  });

  it('shows the title, the wrapped text, the facts and what to do, in that order', () => {
    const body = cardBody(budgetNotice);
    assert.deepEqual(
      body.map((b) => b.type),
      ['TextBlock', 'TextBlock', 'FactSet', 'TextBlock'],
    );
    assert.equal(body[0]?.text, 'Budget team-dev spent');
    assert.equal(body[1]?.text, budgetNotice.text);
    assert.equal(body[1].wrap, true);
    assert.deepEqual(body[2]?.facts, [
      { title: 'Budget', value: 'team-dev' },
      { title: 'Spent', value: '$1,000.00' },
    ]);
    assert.equal(body[3]?.text, '- Re-release after the freeze: POST /api/targets/web/releases');
  });

  const colourRows: { rule: string; notice: Notice; colours: (string | undefined)[] }[] = [
    {
      rule: 'an urgent title is in the attention colour',
      notice: { ...budgetNotice, facts: [], actions: [] },
      colours: ['Attention', undefined],
    },
    {
      rule: 'an urgent notice without a title has its text in the attention colour',
      notice: { text: 'URGENT: web could NOT be rolled back.', urgent: true },
      colours: ['Attention'],
    },
    {
      rule: 'a notice that is not urgent has no colour',
      notice: { ...budgetNotice, urgent: false, facts: [], actions: [] },
      colours: [undefined, undefined],
    },
  ];
  for (const row of colourRows)
    it(row.rule, () => {
      assert.deepEqual(
        cardBody(row.notice).map((b) => b.color),
        row.colours,
      );
    });

  it('stays under the 28 KB Teams takes, however long the notice and whatever its characters', () => {
    // CJK takes three bytes in UTF-8, a quote two in JSON, a control character six.
    const long = '漢"\u0001'.repeat(30_000);
    const notice: Notice = {
      text: long,
      urgent: false,
      title: long,
      facts: Array.from({ length: 100 }, (_, i) => ({ name: `${i}${long}`, value: long })),
      actions: Array.from({ length: 100 }, () => ({ title: long, hint: long })),
    };
    const message = teams(notice);
    assert.ok(Buffer.byteLength(JSON.stringify(message)) < 28 * 1024);
    const body = message.attachments[0]?.content.body ?? [];
    assert.deepEqual(
      body.map((b) => b.type),
      ['TextBlock', 'TextBlock', 'FactSet', 'TextBlock'],
      'every part of the notice is still on the card',
    );
  });

  it('keeps a long notice as long as Teams takes it: a reason of a few thousand characters whole', () => {
    const reason = 'r'.repeat(4_000);
    assert.equal(cardBody({ text: reason, urgent: false }).at(0)?.text, reason);
  });
});

describe('notice messages: Slack', () => {
  it('has the text for notifications, a header, the text, the facts as fields and what to do', () => {
    const message = slack(budgetNotice);
    assert.equal(message.text, budgetNotice.text);
    assert.deepEqual(message.blocks, [
      { type: 'header', text: { type: 'plain_text', text: 'Budget team-dev spent' } },
      { type: 'section', text: { type: 'mrkdwn', text: budgetNotice.text } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Budget*\nteam-dev' },
          { type: 'mrkdwn', text: '*Spent*\n$1,000.00' },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '• Re-release after the freeze: POST /api/targets/web/releases' },
      },
    ]);
  });

  it('has only the text when the notice has no title, facts or actions', () => {
    assert.deepEqual(slack({ text: 'web: x is live.', urgent: false }), {
      text: 'web: x is live.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'web: x is live.' } }],
    });
  });

  it('escapes &, < and > in mrkdwn, so a reason cannot mention a channel or make a link', () => {
    const message = slack({
      text: 'web failed: <!channel> & <https://evil.example|click>',
      urgent: false,
      title: 'A <b> & c',
      facts: [{ name: 'R&D', value: 'a<b>c' }],
    });
    const escaped = 'web failed: &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;';
    assert.equal(message.text, escaped);
    assert.equal(message.blocks[1]?.text?.text, escaped);
    assert.equal(message.blocks[2]?.fields?.[0]?.text, '*R&amp;D*\na&lt;b&gt;c');
    // A header is plain text, shown as written.
    assert.equal(message.blocks[0]?.text?.text, 'A <b> & c');
  });

  it('keeps Block Kit’s limits: a 150-character header, 3,000-character text, 10 fields of 2,000', () => {
    const long = '&'.repeat(5_000);
    const message = slack({
      text: long,
      urgent: false,
      title: 't'.repeat(400),
      facts: Array.from({ length: 12 }, (_, i) => ({ name: `fact ${i}`, value: long })),
    });
    const header = message.blocks[0];
    const section = message.blocks[1];
    const fields = message.blocks[2];
    assert.equal(header?.text?.text.length, 150);
    assert.ok((section?.text?.text.length ?? 0) <= 3_000);
    assert.ok(message.text.length <= 3_000);
    assert.equal(fields?.fields?.length, 10);
    for (const field of fields.fields) assert.ok(field.text.length <= 2_000);
    // Cut between entities, never inside one.
    assert.match(section?.text?.text ?? '', /^(&amp;)+…$/);
  });
});

describe('cutting text to a limit', () => {
  const rows: { rule: string; text: string; max: number; entities?: boolean; cut: string }[] = [
    { rule: 'text within the limit is kept whole', text: 'abc', max: 3, cut: 'abc' },
    { rule: 'longer text ends in an ellipsis, within the limit', text: 'abcdef', max: 4, cut: 'abc…' },
    { rule: 'an emoji is never split in half', text: 'ab😀cd', max: 4, cut: 'ab…' },
    { rule: 'an escaped entity is never split', text: 'a &amp; b', max: 6, entities: true, cut: 'a …' },
    {
      rule: 'a whole entity before the cut is kept',
      text: 'a &amp; b',
      max: 8,
      entities: true,
      cut: 'a &amp;…',
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      const cut = truncate(row.text, row.max, row.entities);
      assert.equal(cut, row.cut);
      assert.ok(cut.length <= row.max);
    });

  it('escapes only what Slack reads as markup', () => {
    assert.equal(escapeMrkdwn('*bold* _it_ a&b <c> "d"'), '*bold* _it_ a&amp;b &lt;c&gt; "d"');
  });
});
