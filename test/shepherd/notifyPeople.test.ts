import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { notifyPeople } from '../../src/activities/notifyPeople';
import { loadConfig } from '../../src/config';
import type { Notice } from '../../src/domain/notice';
import { tempDir } from '../support/testHost';

/** Each webhook's path carries a secret, as Slack's and Teams' URLs do. */
const secret = randomUUID();
const notice: Notice = {
  text: 'Budget team-dev is at 100% of $1,000.00 <actual>: releases to dev are frozen.',
  urgent: true,
  title: 'Budget team-dev spent',
  facts: [{ name: 'Spent', value: '$1,000.00' }],
};

describe('notifying people through their webhooks', () => {
  /** What each webhook received, by its name (the last part of its path). */
  const received = new Map<string, unknown[]>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const name = (req.url ?? '').split('/').at(-1) ?? '';
      received.set(name, [...(received.get(name) ?? []), JSON.parse(body)]);
      res.writeHead(name === 'broken' ? 500 : 200).end();
    });
  });
  let notify: ReturnType<typeof notifyPeople>;
  let closedPort: number;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hook = (name: string) =>
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/${secret}/${name}`;
    // A port that was open a moment ago and is closed now: nothing answers there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const site = (name: string) => ({
      subscriptionId: 'aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e',
      resourceGroup: 'rg',
      name,
    });
    const registry = (repository: string) => ({ loginServer: 'contoso.azurecr.io', repository });
    const targets = {
      targets: [
        {
          name: 'web',
          environment: 'dev',
          site: site('web'),
          registry: registry('contoso/web'),
          notifications: {
            webhookUrl: hook('web-json'),
            webhooks: [
              { url: hook('web-teams'), format: 'teams' },
              { url: hook('shared'), format: 'slack' },
            ],
          },
        },
        {
          name: 'api',
          environment: 'dev',
          site: site('api'),
          registry: registry('contoso/api'),
          notifications: { webhooks: [{ url: hook('api-slack'), format: 'slack' }] },
        },
        {
          name: 'shop',
          environment: 'prod',
          site: site('shop'),
          registry: registry('contoso/shop'),
          notifications: {
            webhooks: [
              { url: hook('broken'), format: 'json' },
              { url: `http://127.0.0.1:${closedPort}/${secret}/gone`, format: 'teams' },
              { url: hook('shop-json'), format: 'json' },
            ],
          },
        },
      ],
      environments: [
        // The same URL as one of web's, in another format: web's, listed first, wins.
        { name: 'dev', notifications: { webhooks: [{ url: hook('shared'), format: 'teams' }] } },
        { name: 'prod', notifications: { webhooks: [{ url: hook('prod-teams'), format: 'teams' }] } },
      ],
      budgets: [
        {
          name: 'team-dev',
          environments: ['dev'],
          notifications: { webhooks: [{ url: hook('budget-slack'), format: 'slack' }] },
        },
      ],
    };
    const root = tempDir('notify-people');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    writeFileSync(join(root, 'targets.json'), JSON.stringify(targets));
    const config = loadConfig(
      {
        SHEPHERD_TASK_HUB: 'Hub1',
        SHEPHERD_ACR_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
        SHEPHERD_ALERT_WEBHOOK_SECRET: 'an-alert-secret-of-some-length',
        SHEPHERD_STATE_STORAGE: 'UseDevelopmentStorage=true',
      },
      root,
    );
    notify = notifyPeople(config);
  });

  beforeEach(() => received.clear());
  after(() => server.close());

  it("sends a target's notice to each of its webhooks and its environment's, each in its format", async () => {
    await notify({ target: 'web', notice });
    assert.deepEqual([...received.keys()].sort(), ['shared', 'web-json', 'web-teams']);
    assert.deepEqual(received.get('web-json'), [notice], 'webhookUrl gets the notice as JSON, as before');
    const card = (
      received.get('web-teams') as {
        type: string;
        attachments: { contentType: string; content: { type: string; body: { text?: string }[] } }[];
      }[]
    )[0];
    assert.equal(card?.type, 'message');
    assert.equal(card.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(card.attachments[0].content.type, 'AdaptiveCard');
    assert.equal(card.attachments[0].content.body[1]?.text, notice.text);
    // Listed by web as slack and by dev as teams: sent once, as slack.
    const shared = received.get('shared') as { text: string; blocks: { type: string }[] }[];
    assert.equal(shared.length, 1);
    assert.equal(shared[0]?.text, notice.text.replace('<', '&lt;').replace('>', '&gt;'));
    assert.deepEqual(
      shared[0].blocks.map((b) => b.type),
      ['header', 'section', 'section'],
    );
  });

  it("sends an environment notice to the environment's webhooks, every target's in it and the budget's", async () => {
    await notify({ environments: ['dev'], budget: 'Team-Dev', notice });
    assert.deepEqual([...received.keys()].sort(), [
      'api-slack',
      'budget-slack',
      'shared',
      'web-json',
      'web-teams',
    ]);
    for (const bodies of received.values()) assert.equal(bodies.length, 1);
  });

  it('tries every webhook when some fail, then says how many failed and for whom, never where', async () => {
    const failure = await notify({ target: 'shop', notice }).then(
      () => assert.fail('the failing webhooks were not reported'),
      (err: unknown) => err as Error,
    );
    assert.deepEqual(
      received.get('shop-json'),
      [notice],
      'the webhook after the failing ones was still told',
    );
    assert.equal(received.get('broken')?.length, 1);
    assert.deepEqual(received.get('prod-teams')?.length, 1, "the environment's webhook was still told");
    assert.match(failure.message, /^2 of 4 notification webhooks failed/);
    assert.match(failure.message, /json webhook of target shop answered 500/);
    assert.match(failure.message, /teams webhook of target shop could not be reached \(ECONNREFUSED\)/);
    for (const part of [secret, '127.0.0.1', String(closedPort), 'http'])
      assert.ok(!failure.message.includes(part), `the error holds no part of a URL (${part})`);
  });

  it('tells no one, and succeeds, when no webhook is listed', async () => {
    await notify({ environments: ['nowhere'], notice });
    await notify({ target: 'unknown', notice });
    assert.equal(received.size, 0);
  });
});
