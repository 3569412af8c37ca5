import { setTimeout as sleep } from 'node:timers/promises';
import { readAnswer } from './answerShape';
import { fitToWidth, progressLine } from './progressLine';
import { hasEnded, releaseViewSchema } from './releaseView';
import type { ReleaseView } from './releaseView';
import type { Answer, ShepherdApi } from './shepherdApi';

/** Where a follower writes: a terminal gets one line redrawn in place; a pipe or file a line per change. */
export interface ProgressOutput {
  write(text: string): void;
  isTTY: boolean;
  /** The terminal's width, when it is one. */
  columns?: number | undefined;
}

/** Erases the terminal's current line and returns to its start. */
const clearLine = '\r\u001b[2K';

/**
 * Asks for the release every `intervalMs` until it has ended, telling `out` each change of its
 * progress line (none when `out` is undefined, for `--json`). Returns the release as it ended, and
 * the answer that said so.
 */
export async function followRelease(
  api: Pick<ShepherdApi, 'get'>,
  id: string,
  intervalMs: number,
  out: ProgressOutput | undefined,
): Promise<{ view: ReleaseView; answer: Answer }> {
  let shown: string | undefined;
  for (;;) {
    const answer = await api.get(`releases/${encodeURIComponent(id)}`);
    const view = readAnswer(releaseViewSchema, answer.body, 'GET /api/releases/{id}');
    const line = progressLine(view);
    const ended = hasEnded(view);
    if (out !== undefined && line !== shown) {
      if (out.isTTY) out.write(`${clearLine}${ended ? line : fitToWidth(line, out.columns)}`);
      else out.write(`${line}\n`);
      shown = line;
    }
    if (ended) {
      if (out?.isTTY) out.write('\n');
      return { view, answer };
    }
    await sleep(intervalMs);
  }
}
