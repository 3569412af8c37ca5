import { acrWebhookIntake } from './acrWebhookIntake';
import { backupBenchmark } from './backup';
import { cleanupBenchmark } from './cleanup';
import { durableOverhead } from './durableOverhead';
import { releaseHistory } from './releaseHistory';
import { releaseJudgement } from './releaseJudgement';
import { releaseRollback } from './releaseRollback';
import { secretRotation } from './secretRotation';
import { severeFaultExposure } from './severeFault';
import { startupLoad } from './startupLoad';
import { setLogSink } from '../dev/host/log';

/** Options given as `--name=value` after the benchmarks' names; each benchmark reads those it knows. */
export type BenchOptions = Readonly<Record<string, string>>;

/** Every benchmark by name; `npm run bench -- <name>` runs one. Each returns figures to print. */
const benchmarks: Record<string, (options: BenchOptions) => Promise<Record<string, number>>> = {
  durable: durableOverhead,
  release: releaseRollback,
  severeFault: severeFaultExposure,
  judgement: releaseJudgement,
  backup: backupBenchmark,
  rotation: secretRotation,
  cleanup: cleanupBenchmark,
  releaseHistory,
  startup: startupLoad,
  intake: acrWebhookIntake,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const wanted = args.filter((arg) => !arg.startsWith('--'));
  const options = Object.fromEntries(
    args
      .filter((arg) => arg.startsWith('--'))
      .map((arg) => {
        const [name = '', ...value] = arg.slice(2).split('=');
        return [name, value.join('=')];
      }),
  );
  const unknown = wanted.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    throw new Error(`Unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  }
  // Function logs would bury the figures.
  setLogSink(() => undefined);
  for (const [name, run] of Object.entries(benchmarks)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const figures = await run(options);
    for (const [figure, value] of Object.entries(figures))
      process.stdout.write(`${figure} = ${value.toFixed(3)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
