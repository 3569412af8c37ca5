import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customStatusTooLarge } from '../../dev/host/durable/customStatusLimit';

describe('the custom status size Azure accepts', () => {
  // A string's JSON is the string and two quotes; each UTF-16 code unit is two bytes.
  const rows: { name: string; status: unknown; refused?: RegExp }[] = [
    { name: 'no custom status', status: undefined },
    { name: 'a small object', status: { phase: 'canary', weight: 10 } },
    { name: 'just under 17 KB counts as 16 KB (whole KB, rounded down)', status: 'a'.repeat(8701) },
    {
      name: '17 KB is over the limit',
      status: 'a'.repeat(8702),
      refused:
        /^The UTF-16 size of the JSON-serialized payload must not exceed 16 KB\. The current payload size is 17 KB\.$/,
    },
    {
      name: 'characters outside the BMP count twice',
      status: '😀'.repeat(4351),
      refused: /current payload size is 17 KB/,
    },
    { name: 'the same count of BMP characters fits', status: 'é'.repeat(4351) },
    {
      name: 'large sizes are written with thousands separators',
      status: 'a'.repeat(600_000),
      refused: /current payload size is 1,171 KB/,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const refusal = customStatusTooLarge(row.status);
      if (row.refused) assert.match(refusal?.ErrorMessage ?? '', row.refused);
      else assert.equal(refusal, undefined);
    });
  }
});
