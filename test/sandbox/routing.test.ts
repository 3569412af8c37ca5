import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseRoute } from '../../dev/sandbox/routing';

describe('App Service traffic routing', () => {
  const tenPercent = [{ name: 'staging', reroutePercentage: 10 }];
  const zero = [{ name: 'staging', reroutePercentage: 0 }];
  const q = (s = ''): URLSearchParams => new URLSearchParams(s);

  const cases: {
    rule: string;
    rules: typeof tenPercent;
    query?: string;
    cookie?: string;
    random: number;
    target: string;
    sets: boolean;
  }[] = [
    {
      rule: 'a draw under the percentage goes to the slot',
      rules: tenPercent,
      random: 0.05,
      target: 'staging',
      sets: true,
    },
    {
      rule: 'a draw at the percentage stays in production',
      rules: tenPercent,
      random: 0.1,
      target: 'self',
      sets: true,
    },
    { rule: 'no rules: everything stays in production', rules: [], random: 0, target: 'self', sets: true },
    { rule: 'a 0% rule takes no random traffic', rules: zero, random: 0, target: 'self', sets: true },
    {
      rule: 'the cookie pins a client to the slot',
      rules: tenPercent,
      cookie: 'a=1; x-ms-routing-name=staging',
      random: 0.99,
      target: 'staging',
      sets: false,
    },
    {
      rule: 'the cookie pins a client to production',
      rules: tenPercent,
      cookie: 'x-ms-routing-name=self',
      random: 0.01,
      target: 'self',
      sets: false,
    },
    {
      rule: 'a 0% rule still admits a pinned client',
      rules: zero,
      cookie: 'x-ms-routing-name=staging',
      random: 0.99,
      target: 'staging',
      sets: false,
    },
    {
      rule: 'a removed rule no longer admits a pinned client',
      rules: [],
      cookie: 'x-ms-routing-name=staging',
      random: 0.99,
      target: 'self',
      sets: true,
    },
    {
      rule: 'the query opts a client in and pins it',
      rules: zero,
      query: 'x-ms-routing-name=staging',
      random: 0.99,
      target: 'staging',
      sets: true,
    },
    {
      rule: 'the query opts a client back to production',
      rules: tenPercent,
      query: 'x-ms-routing-name=self',
      cookie: 'x-ms-routing-name=staging',
      random: 0.01,
      target: 'self',
      sets: true,
    },
  ];
  for (const c of cases) {
    it(c.rule, () => {
      const choice = chooseRoute(c.rules, q(c.query), c.cookie, c.random);
      assert.equal(choice.target, c.target);
      assert.equal(choice.setCookie !== undefined, c.sets);
      if (choice.setCookie) assert.match(choice.setCookie, new RegExp(`^x-ms-routing-name=${c.target};`));
    });
  }
});
