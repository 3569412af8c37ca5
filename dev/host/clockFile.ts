import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaledClock } from './clock';

/**
 * A scaled clock kept in the host's data folder, so that a host (and a sandbox) started again over the
 * same folder carries on from the time its stored instances have seen, never from an earlier one.
 */
const clockFileName = 'clock.json';

/** The scaled clock last used over `dataDir`, if one was. */
export function readStoredClock(dataDir: string): ScaledClock | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, clockFileName), 'utf8');
  } catch {
    return undefined;
  }
  return ScaledClock.parse((JSON.parse(text) as { clock: string }).clock);
}

/** Records `clock` as the clock of `dataDir`. */
export function storeClock(dataDir: string, clock: ScaledClock): void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, clockFileName);
  writeFileSync(`${path}.${String(process.pid)}.tmp`, JSON.stringify({ clock: clock.describe() }));
  renameSync(`${path}.${String(process.pid)}.tmp`, path);
}

/**
 * A clock at `secondsPerMinute` that carries on from the one stored in `dataDir`: that very clock when
 * the rate is the same (it kept running while nothing used it, as real time does), else one that starts
 * where the stored one stands now. A new clock at the real time when none is stored.
 */
export function resumeScaledClock(dataDir: string, secondsPerMinute: number): ScaledClock {
  const stored = readStoredClock(dataDir);
  if (!stored) return new ScaledClock(secondsPerMinute);
  if (stored.secondsPerMinute === secondsPerMinute) return stored;
  return new ScaledClock(secondsPerMinute, stored.now());
}

/**
 * Stores `clock` as the data folder's clock, refusing it when it reads earlier than the clock stored
 * there: the instances kept in the folder would see time run backwards.
 */
export function adoptClock(dataDir: string, clock: ScaledClock): void {
  const stored = readStoredClock(dataDir);
  if (stored && stored.describe() !== clock.describe()) {
    const storedNow = stored.now();
    const now = clock.now();
    if (now < storedNow) {
      throw new Error(
        `The clock reads ${new Date(now).toISOString()}, earlier than ${new Date(storedNow).toISOString()} where ` +
          `the clock of ${dataDir} stands: its instances would see time run backwards. Start without a clock ` +
          `(to carry on with the stored one) or with one that is not behind it.`,
      );
    }
  }
  storeClock(dataDir, clock);
}
