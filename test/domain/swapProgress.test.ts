import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeSwap } from '../../src/domain/swapProgress';
import type { SwapObservation, SwapVerdict } from '../../src/domain/swapProgress';

const image = 'reg.azurecr.io/web:2.0.0@sha256:22';
const previous = 'reg.azurecr.io/web:1.0.0@sha256:11';

describe('whether a swap has put the image in production', () => {
  const rows: { rule: string; look: SwapObservation; expected: SwapVerdict }[] = [
    {
      rule: 'a swap still running is waited for, whatever production shows meanwhile',
      look: { production: image, progress: { state: 'running' } },
      expected: { state: 'waiting' },
    },
    {
      rule: 'a swap that ended with production on the image is done',
      look: { production: image, progress: { state: 'succeeded' } },
      expected: { state: 'done' },
    },
    {
      rule: 'a swap that failed says why',
      look: { production: previous, progress: { state: 'failed', reason: 'the slot did not warm up' } },
      expected: { state: 'failed', reason: 'the swap failed: the slot did not warm up' },
    },
    {
      rule: 'a swap reported failed that still left production on the image is done: the image is what counts',
      look: { production: image, progress: { state: 'failed', reason: 'late error' } },
      expected: { state: 'done' },
    },
    {
      rule: 'a swap reported done that left another image in production has failed',
      look: { production: previous, progress: { state: 'succeeded' } },
      expected: { state: 'failed', reason: `the swap ended, but production runs ${previous}, not ${image}` },
    },
    {
      rule: 'production running no image after the swap has failed',
      look: { production: null, progress: { state: 'succeeded' } },
      expected: { state: 'failed', reason: `the swap ended, but production runs no image, not ${image}` },
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      assert.deepEqual(judgeSwap(row.look, image), row.expected);
    });
});
