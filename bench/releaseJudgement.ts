import type { Target } from '../src/config';
import type { ReleaseStatus } from '../src/orchestrations/releaseModel';
import { ReleaseReplay, pushOf, replayTarget } from '../test/support/releaseReplay';
import type { BenchOptions } from './run';
import type { ImageBehaviour } from './steadyTraffic';
import { steadyTraffic } from './steadyTraffic';

/** A small site's steady load: 200 users' requests a minute, 100 on the slot in a 5-minute 10% window. */
const requestsPerMinute = 200;
const production: ImageBehaviour = { errorRate: 0.005, responseMs: 120 };
const healthy: ImageBehaviour = { errorRate: 0.005, responseMs: 120 };
const faulty: ImageBehaviour = { errorRate: 0.03, responseMs: 120 };

/** What a run replays: how many releases of each image, from which seed, and how faulty the bad one is. */
interface JudgementRun {
  releases: number;
  /** The healthy releases' first seed; the faulty ones' follow after them. */
  seed: number;
  faulty: ImageBehaviour;
  /** Gates over the default target's, to try other settings. */
  gates: Record<string, unknown>;
}

/**
 * The run `--releases=N`, `--seed=S`, `--bad-rate=R` and `--gates=JSON` ask for; by default 100
 * releases each from the fixed seeds, the bad image at 3% and the default gates.
 */
function runOf(options: BenchOptions): JudgementRun {
  const number = (name: string, fallback: number): number => {
    const given = options[name];
    if (given === undefined) return fallback;
    const value = Number(given);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} wants a positive number, not ${given}`);
    return value;
  };
  return {
    releases: Math.round(number('releases', 100)),
    seed: Math.round(number('seed', 1_000)),
    faulty: { ...faulty, errorRate: number('bad-rate', faulty.errorRate) },
    gates: options.gates === undefined ? {} : (JSON.parse(options.gates) as Record<string, unknown>),
  };
}

interface Tally {
  rolledBack: number;
  /** Releases with at least one window that could not be judged. */
  withInconclusiveWindow: number;
  /** Releases rolled back because too many windows in a row could not be judged. */
  rolledBackUndecided: number;
}

/**
 * Runs `releases` releases of an image behaving as `image` through the real release orchestrator,
 * replayed on a virtual clock, with a default target (3-step canary, 5-minute windows, 10-minute
 * bake, default gates) and Azure Monitor answering seeded random counts of a steady load.
 */
async function releaseMany(
  image: ImageBehaviour,
  target: Target,
  releases: number,
  firstSeed: number,
): Promise<Tally> {
  const tally: Tally = { rolledBack: 0, withInconclusiveWindow: 0, rolledBackUndecided: 0 };
  for (let i = 0; i < releases; i++) {
    const replay = new ReleaseReplay();
    try {
      replay.azure.metrics = steadyTraffic(replay.azure, {
        requestsPerMinute,
        old: production,
        new: image,
        seed: firstSeed + i,
      });
      const id = `release:web:${String(firstSeed + i).padStart(24, '0')}`;
      const status: ReleaseStatus = await replay.finish(await replay.start(pushOf(target, id)));
      if (status.outcome === 'rolledBack') tally.rolledBack += 1;
      else if (status.outcome !== 'succeeded')
        throw new Error(`release ${i} ended ${status.outcome ?? '?'}: ${status.reason ?? ''}`);
      if (status.windows.some((w) => w.verdict === 'inconclusive')) tally.withInconclusiveWindow += 1;
      if (status.outcome === 'rolledBack' && /inconclusive windows in a row/.test(status.reason ?? ''))
        tally.rolledBackUndecided += 1;
    } finally {
      replay.stop();
    }
  }
  return tally;
}

/**
 * How often the window judge gets a release wrong, on the real decision path: 100 releases of a
 * healthy image (0.5% errors, as production has) and 100 of a faulty one (3% errors), each against
 * production at 0.5%, under 200 requests a minute. Per 100 releases: healthy ones rolled back
 * (target 0), faulty ones caught (target 100), and how many of each met a window too thin to judge.
 * Options (`runOf`) replay more releases, from other seeds, with another bad image or other gates.
 */
export async function releaseJudgement(options: BenchOptions = {}): Promise<Record<string, number>> {
  const { releases, seed, faulty: badImage, gates } = runOf(options);
  const target = replayTarget({ gates });
  const good = await releaseMany(healthy, target, releases, seed);
  // Seeds of their own, however many releases: the default run's are 1,000 and 2,000 on.
  const bad = await releaseMany(badImage, target, releases, seed + Math.max(1_000, releases));
  return {
    'release.false_rollbacks_per_100': (good.rolledBack * 100) / releases,
    'release.bad_image_caught_per_100': (bad.rolledBack * 100) / releases,
    'release.healthy_with_inconclusive_window_per_100': (good.withInconclusiveWindow * 100) / releases,
    'release.faulty_with_inconclusive_window_per_100': (bad.withInconclusiveWindow * 100) / releases,
    'release.rolled_back_undecided_per_200':
      ((good.rolledBackUndecided + bad.rolledBackUndecided) * 100) / releases,
    'release.bad_image_error_percent': badImage.errorRate * 100,
  };
}
