import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotificationSettings } from '../../src/config';
import { budgetReference, noticeRecipients } from '../../src/domain/noticeRecipients';
import type { NoticeAddressee, NotificationBook } from '../../src/domain/noticeRecipients';

const hooks = (...urls: string[]): NotificationSettings => ({
  webhooks: urls.map((url) => ({ url, format: url.includes('teams') ? 'teams' : 'json' })),
});

const book: NotificationBook = {
  targets: [
    { name: 'web', environment: 'dev', notifications: { webhookUrl: 'https://h/web', webhooks: [] } },
    { name: 'api', environment: 'dev', notifications: hooks('https://h/api-teams', 'https://h/shared') },
    { name: 'shop', environment: 'prod', notifications: hooks('https://h/shop') },
    { name: 'quiet', environment: 'qa', notifications: hooks() },
  ],
  environments: [
    { name: 'dev', notifications: hooks('https://h/dev-teams', 'https://h/shared') },
    { name: 'prod', notifications: hooks() },
  ],
  budgets: [
    { name: 'Team-Dev', notifications: hooks('https://h/budget', 'https://h/dev-teams') },
    { notifications: hooks('https://h/scoped') },
  ],
};

describe('who a notice goes to', () => {
  const rows: {
    rule: string;
    to: NoticeAddressee;
    webhooks: { url: string; format: string; recipients: string[] }[];
  }[] = [
    {
      rule: "a target's notice goes to the target's webhooks and its environment's",
      to: { target: 'api' },
      webhooks: [
        { url: 'https://h/api-teams', format: 'teams', recipients: ['target api'] },
        { url: 'https://h/shared', format: 'json', recipients: ['target api', 'environment dev'] },
        { url: 'https://h/dev-teams', format: 'teams', recipients: ['environment dev'] },
      ],
    },
    {
      rule: 'webhookUrl is a json webhook',
      to: { target: 'web' },
      webhooks: [
        { url: 'https://h/web', format: 'json', recipients: ['target web'] },
        { url: 'https://h/dev-teams', format: 'teams', recipients: ['environment dev'] },
        { url: 'https://h/shared', format: 'json', recipients: ['environment dev'] },
      ],
    },
    {
      rule: 'a target whose environment has no entry is told alone',
      to: { target: 'quiet' },
      webhooks: [],
    },
    { rule: 'an unknown target has no one to tell', to: { target: 'gone' }, webhooks: [] },
    {
      rule: "an environment notice goes to the environment's webhooks and every one of its targets', each URL once",
      to: { environments: ['dev'] },
      webhooks: [
        { url: 'https://h/dev-teams', format: 'teams', recipients: ['environment dev'] },
        { url: 'https://h/shared', format: 'json', recipients: ['environment dev', 'target api'] },
        { url: 'https://h/web', format: 'json', recipients: ['target web'] },
        { url: 'https://h/api-teams', format: 'teams', recipients: ['target api'] },
      ],
    },
    {
      rule: "a budget's notice also goes to the budget's webhooks, its name matched without case",
      to: { environments: ['prod'], budget: 'team-dev' },
      webhooks: [
        { url: 'https://h/shop', format: 'json', recipients: ['target shop'] },
        { url: 'https://h/budget', format: 'json', recipients: ['budget Team-Dev'] },
        { url: 'https://h/dev-teams', format: 'teams', recipients: ['budget Team-Dev'] },
      ],
    },
    {
      rule: 'a budget with only a scope is named by its position',
      to: { environments: [], budget: 'budgets[1]' },
      webhooks: [{ url: 'https://h/scoped', format: 'json', recipients: ['budget budgets[1]'] }],
    },
    {
      rule: 'a budget not in the settings adds no one',
      to: { environments: ['prod'], budget: 'other' },
      webhooks: [{ url: 'https://h/shop', format: 'json', recipients: ['target shop'] }],
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      assert.deepEqual(noticeRecipients(book, row.to), row.webhooks);
    });

  it('keeps the format a URL was first listed with', () => {
    const twice: NotificationBook = {
      targets: [
        {
          name: 'web',
          environment: 'dev',
          notifications: {
            webhooks: [
              { url: 'https://h/x', format: 'slack' },
              { url: 'https://h/x', format: 'teams' },
            ],
          },
        },
      ],
      environments: [{ name: 'dev', notifications: { webhookUrl: 'https://h/x', webhooks: [] } }],
      budgets: [],
    };
    assert.deepEqual(noticeRecipients(twice, { target: 'web' }), [
      { url: 'https://h/x', format: 'slack', recipients: ['target web', 'environment dev'] },
    ]);
  });

  it('names a budget by its name, or by its position when it has none', () => {
    assert.equal(budgetReference({ name: 'team-dev' }, 3), 'team-dev');
    assert.equal(budgetReference({}, 3), 'budgets[3]');
  });
});
