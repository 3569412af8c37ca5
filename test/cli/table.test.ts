import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTable } from '../../src/cli/table';

const columns = [
  { heading: 'name', cell: (r: { name: string; note: string }) => r.name },
  { heading: 'note', cell: (r: { name: string; note: string }) => r.note },
];

describe('renderTable', () => {
  it('pads each column to its widest cell, two spaces apart, headings in capitals, no trailing spaces', () => {
    const rows = [
      { name: 'web', note: 'ok' },
      { name: 'contoso-api', note: '' },
    ];
    assert.equal(renderTable(columns, rows, 'none'), 'NAME         NOTE\nweb          ok\ncontoso-api\n');
  });

  it('prints the empty message alone when there are no rows', () => {
    assert.equal(renderTable(columns, [], 'No targets.'), 'No targets.\n');
  });

  it('keeps a cell with line breaks on its row', () => {
    assert.equal(
      renderTable(columns, [{ name: 'web', note: 'first\n  second\r\nthird' }], ''),
      'NAME  NOTE\nweb   first second third\n',
    );
  });
});
