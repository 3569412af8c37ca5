import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideDumpVersion, majorOf, parsePgDumpVersion } from '../../src/domain/backupToolVersion';

describe('pg_dump versions', () => {
  const parsed: [string, { number: number; text: string } | undefined][] = [
    ['pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)', { number: 150018, text: '15.18' }],
    ['pg_dump (PostgreSQL) 17.2', { number: 170002, text: '17.2' }],
    ['pg_dump (PostgreSQL) 9.6.24', { number: 90624, text: '9.6.24' }],
    ['pg_dump (PostgreSQL) 18devel', { number: 180000, text: '18' }],
    ['pg_restore (PostgreSQL)', undefined],
    ['something else', undefined],
  ];
  for (const [output, expected] of parsed) {
    it(`reads "${output}"`, () => assert.deepEqual(parsePgDumpVersion(output), expected));
  }

  it('knows the major release: one number from 10 on, two before', () => {
    assert.deepEqual(majorOf({ number: 150018, text: '15.18' }), { number: 150000, text: '15' });
    assert.deepEqual(majorOf({ number: 90624, text: '9.6.24' }), { number: 90600, text: '9.6' });
  });
});

describe('whether a pg_dump may dump a server', () => {
  const v = (number: number, text: string): { number: number; text: string } => ({ number, text });
  const rows: {
    rule: string;
    pgDump: [number, string];
    server: [number, string];
    ok: boolean;
    reason?: RegExp;
  }[] = [
    { rule: 'the same major, older minor', pgDump: [150002, '15.2'], server: [150018, '15.18'], ok: true },
    { rule: 'the same version', pgDump: [160004, '16.4'], server: [160004, '16.4'], ok: true },
    { rule: 'a newer major than the server', pgDump: [170002, '17.2'], server: [130016, '13.16'], ok: true },
    {
      rule: 'pg_dump 15 and a 9.2 server, its oldest',
      pgDump: [150018, '15.18'],
      server: [90224, '9.2.24'],
      ok: true,
    },
    { rule: 'pg_dump 14 and a 9.1 server', pgDump: [140013, '14.13'], server: [90124, '9.1.24'], ok: true },
    {
      rule: 'an older major than the server',
      pgDump: [150018, '15.18'],
      server: [160004, '16.4'],
      ok: false,
      reason:
        /^pg_dump 15\.18 cannot dump a PostgreSQL 16\.4 server: install the PostgreSQL 16 client programs \(or newer\) and point SHEPHERD_PG_BIN_DIR at them$/,
    },
    {
      rule: 'a 9.x pg_dump and a newer 9.x server',
      pgDump: [90524, '9.5.24'],
      server: [90624, '9.6.24'],
      ok: false,
      reason: /install the PostgreSQL 9\.6 client programs/,
    },
    {
      rule: 'pg_dump 15 and a server older than 9.2',
      pgDump: [150018, '15.18'],
      server: [90124, '9.1.24'],
      ok: false,
      reason: /it dumps servers from 9\.2 on/,
    },
  ];
  for (const row of rows) {
    it(`${row.ok ? 'allows' : 'refuses'} ${row.rule}`, () => {
      const decision = decideDumpVersion(v(...row.pgDump), v(...row.server));
      assert.equal(decision.ok, row.ok);
      if (!decision.ok && row.reason) assert.match(decision.reason, row.reason);
    });
  }
});
