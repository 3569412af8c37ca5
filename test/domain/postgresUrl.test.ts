import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'pg-connection-string';
import { readPostgresUrl, toPostgresUrl } from '../../src/domain/postgresUrl';
import type { PostgresUrl } from '../../src/domain/postgresUrl';

const base: PostgresUrl = {
  user: 'app_blue',
  password: 'hunter22',
  host: 'contoso-db.postgres.database.azure.com',
  port: 5432,
  database: 'appdb',
  params: { sslmode: 'require' },
};

function read(text: string): PostgresUrl {
  const reading = readPostgresUrl(text);
  if ('problem' in reading) throw new Error(reading.problem);
  return reading.url;
}

describe('reading a postgres:// URL', () => {
  const rows: { rule: string; text: string; url: Partial<PostgresUrl> }[] = [
    {
      rule: 'every part of a full URL',
      text: 'postgres://app_blue:hunter22@contoso-db.postgres.database.azure.com:5432/appdb?sslmode=require',
      url: base,
    },
    {
      rule: 'the postgresql:// scheme, in any case',
      text: 'PostgreSQL://app_blue:hunter22@contoso-db.postgres.database.azure.com:5432/appdb?sslmode=require',
      url: base,
    },
    {
      rule: 'percent-escapes in user, password and database',
      text: 'postgres://app%40admin:p%40ss%2Fw%3Ard@db/my%20db',
      url: { user: 'app@admin', password: 'p@ss/w:rd', host: 'db', database: 'my db' },
    },
    {
      rule: 'a + as a +, in the password and the query, as libpq reads it',
      text: 'postgres://u:a+b@db/app?application_name=blue+green',
      url: { password: 'a+b', params: { application_name: 'blue+green' } },
    },
    {
      rule: 'an IPv6 host without its brackets',
      text: 'postgres://u:p@[::1]:6432/app',
      url: { host: '::1', port: 6432 },
    },
    {
      rule: 'no host, as libpq allows (its default host then)',
      text: 'postgres://u:p@:6432/app',
      url: { user: 'u', host: undefined, port: 6432, database: 'app' },
    },
    {
      rule: 'absent parts as undefined',
      text: 'postgres://db.example',
      url: {
        user: undefined,
        password: undefined,
        host: 'db.example',
        port: undefined,
        database: undefined,
        params: {},
      },
    },
    {
      rule: 'the user who is named, for which role a secret holds',
      text: 'postgres://app_green:x@db/app',
      url: { user: 'app_green' },
    },
    { rule: 'surrounding white space away', text: '  postgres://u:p@db/app \n', url: { database: 'app' } },
  ];
  for (const r of rows) {
    it(`reads ${r.rule}`, () => {
      const url = read(r.text);
      for (const [key, value] of Object.entries(r.url))
        assert.deepEqual(url[key as keyof PostgresUrl], value, key);
    });
  }

  const refused: { rule: string; text: string; problem: RegExp }[] = [
    {
      rule: "libpq's key=value form",
      text: 'host=db user=x password=hunter22',
      problem: /key=value form is not supported/,
    },
    {
      rule: 'a port past 65535',
      text: 'postgres://u:hunter22@db:99999/app',
      problem: /not a valid connection URL/,
    },
    { rule: 'port 0', text: 'postgres://u:hunter22@db:0/app', problem: /not a port number/ },
    { rule: 'a malformed %-escape', text: 'postgres://u:hunter22%zz@db/app', problem: /malformed %-escape/ },
    {
      rule: 'an unescaped #',
      text: 'postgres://u:hunter#22@db/app',
      problem: /"#", which must be written %23/,
    },
    { rule: 'several hosts', text: 'postgres://u:hunter22@db1,db2/app', problem: /more than one host/ },
    {
      rule: 'a query parameter without =',
      text: 'postgres://u:hunter22@db/app?sslmode',
      problem: /no "key=value" form/,
    },
  ];
  for (const r of refused) {
    it(`refuses ${r.rule}, without quoting the text`, () => {
      const reading = readPostgresUrl(r.text);
      assert.ok('problem' in reading, 'refused');
      assert.match(reading.problem, r.problem);
      assert.ok(!reading.problem.includes('hunter'), 'no part of the password');
    });
  }
});

describe('writing a postgres:// URL', () => {
  it('writes every part, escaped only where needed', () => {
    assert.equal(
      toPostgresUrl(base),
      'postgres://app_blue:hunter22@contoso-db.postgres.database.azure.com:5432/appdb?sslmode=require',
    );
  });

  it('brackets an IPv6 host', () => {
    assert.equal(
      toPostgresUrl({ ...base, host: '::1', params: {} }),
      'postgres://app_blue:hunter22@[::1]:5432/appdb',
    );
  });

  it('keeps the query after an absent database', () => {
    assert.equal(
      toPostgresUrl({ ...base, database: undefined }),
      'postgres://app_blue:hunter22@contoso-db.postgres.database.azure.com:5432/?sslmode=require',
    );
  });

  const awkward = [
    'p@ss:w/rd?#&=',
    '100% sure',
    'plus+and space',
    'quote\'s "double" \\back',
    'пароль-密码-🔑',
    '%41 stays %41',
    '__proto__',
    'ends with @',
  ];
  for (const text of awkward) {
    it(`reads back ${JSON.stringify(text)} unchanged as user, password, database and parameter`, () => {
      const url: PostgresUrl = {
        user: text,
        password: text,
        host: 'db.example',
        port: 5432,
        database: text,
        params: { application_name: text, sslmode: 'verify-full' },
      };
      const written = toPostgresUrl(url);
      assert.deepEqual(read(written), url);
      // node-postgres reads it the same way, so the consumers' driver sees the same credential.
      const theirs = parse(written);
      assert.equal(theirs.user, text);
      assert.equal(theirs.password, text);
    });
  }

  it('reads back a URL without host, port or user', () => {
    const url: PostgresUrl = {
      user: undefined,
      password: undefined,
      host: undefined,
      port: undefined,
      database: 'app',
      params: {},
    };
    assert.deepEqual(read(toPostgresUrl(url)), url);
  });

  it('reads back a credential without a host', () => {
    const url: PostgresUrl = { ...base, host: undefined };
    assert.deepEqual(read(toPostgresUrl(url)), url);
  });

  it('keeps a "__proto__" parameter as a parameter', () => {
    const url = read('postgres://u:p@db/app?__proto__=x');
    assert.equal(Object.getPrototypeOf(url.params), Object.prototype);
    assert.deepEqual(Object.keys(url.params), ['__proto__']);
  });
});
