import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactedMessage, redactSecrets } from '../../src/azure/postgresSecrets';

describe('redactSecrets', () => {
  const secret = 'p@ss w0rd/with:odd;chars';
  const cases: { rule: string; text: string; secrets?: string[]; expected: string }[] = [
    {
      rule: 'a known secret, wherever it appears',
      text: `failed with ${secret} twice: ${secret}`,
      secrets: [secret],
      expected: 'failed with … twice: …',
    },
    {
      rule: 'a known secret in its URL-encoded form',
      text: `tried ${encodeURIComponent(secret)}`,
      secrets: [secret],
      expected: 'tried …',
    },
    {
      rule: 'the password of a postgres:// URL',
      text: 'could not use postgresql://admin:hunter22@db.example:5432/app',
      expected: 'could not use postgresql://admin:…@db.example:5432/app',
    },
    {
      rule: 'password= pairs, quoted or not',
      text: "host=db password=hunter22 user=x; password = 'a b c'",
      expected: 'host=db password=… user=x; password=…',
    },
    {
      rule: 'bearer tokens',
      text: 'Authorization: Bearer eyJ0eXAi.abc.def',
      expected: 'Authorization: Bearer …',
    },
    {
      rule: 'nothing in ordinary text, and no "secret" shorter than four characters',
      text: 'password authentication failed for user "postgres"',
      secrets: ['', 'us'],
      expected: 'password authentication failed for user "postgres"',
    },
  ];
  for (const c of cases) {
    it(`removes ${c.rule}`, () => assert.equal(redactSecrets(c.text, c.secrets ?? []), c.expected));
  }

  it('redacts the message of whatever was thrown', () => {
    assert.equal(redactedMessage(new Error(`bad ${secret}`), [secret]), 'bad …');
    assert.equal(redactedMessage(`bad ${secret}`, [secret]), 'bad …');
  });
});
