import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followRelease } from '../../src/cli/followRelease';
import type { Answer } from '../../src/cli/shepherdApi';

/** Shepherd answering a release's status as `views` say, one per look, the last one from then on. */
function releaseAnswers(views: Record<string, unknown>[]): {
  get(path: string): Promise<Answer>;
  asked: string[];
} {
  const asked: string[] = [];
  return {
    asked,
    get(path) {
      asked.push(path);
      const body = { id: 'release:web:1', target: 'web', ...views[Math.min(asked.length, views.length) - 1] };
      return Promise.resolve({ status: 200, text: JSON.stringify(body), body });
    },
  };
}

const looks = [
  { runtimeStatus: 'Running', phase: 'warmingUp' },
  { runtimeStatus: 'Running', phase: 'warmingUp' },
  { runtimeStatus: 'Running', phase: 'canary', trafficPercent: 10 },
  { runtimeStatus: 'Completed', phase: 'done', outcome: 'succeeded', reason: 'promoted' },
];

describe('followRelease', () => {
  it('prints one line per change to a pipe, until the release has ended', async () => {
    let printed = '';
    const api = releaseAnswers(looks);
    const { view } = await followRelease(api, 'release:web:1', 1, {
      write: (t) => (printed += t),
      isTTY: false,
    });
    assert.equal(printed, 'web · warming up\nweb · canary · slot traffic 10%\nweb · succeeded: promoted\n');
    assert.equal(view.outcome, 'succeeded');
    assert.deepEqual(new Set(api.asked), new Set(['releases/release%3Aweb%3A1']));
    assert.equal(api.asked.length, 4);
  });

  it('redraws one line in place on a terminal, cut to its width, and ends it once the release has', async () => {
    let printed = '';
    await followRelease(releaseAnswers(looks), 'release:web:1', 1, {
      write: (t) => (printed += t),
      isTTY: true,
      columns: 20,
    });
    const clear = '\r\u001b[2K';
    assert.equal(
      printed,
      `${clear}web · warming up${clear}web · canary · slo…${clear}web · succeeded: promoted\n`,
    );
  });

  it('prints nothing for --json, and answers the status that said the release ended', async () => {
    const { answer } = await followRelease(releaseAnswers(looks), 'release:web:1', 1, undefined);
    assert.equal((JSON.parse(answer.text) as { outcome: string }).outcome, 'succeeded');
  });
});
