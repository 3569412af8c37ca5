import { performance } from 'node:perf_hooks';
import { VirtualClock } from '../dev/host/clock';
import type { LocalHost } from '../dev/host/host';
import { startTestHost } from '../test/support/testHost';

async function timeDirect(host: LocalHost, count: number): Promise<number> {
  const fn = host.core.functions.get('double');
  if (!fn) throw new Error('the test app has no "double" activity');
  const started = performance.now();
  for (let i = 0; i < count; i++) await host.invoke(fn, { trigger: { json: String(i) } });
  return performance.now() - started;
}

async function timeOrchestrated(host: LocalHost, count: number): Promise<number> {
  const started = performance.now();
  const result = host.engine.startNew('chain', { input: count });
  if (!('started' in result)) throw new Error('could not start the chain orchestration');
  await host.idle();
  const state = host.engine.get(result.started);
  if (state?.runtimeStatus !== 'Completed')
    throw new Error(`chain ended ${state?.runtimeStatus ?? 'missing'}`);
  return performance.now() - started;
}

/**
 * What the local host's durable engine costs per activity: an orchestration of N activities against
 * N direct invocations of the same activity, measured side by side. The growth figure compares the
 * per-activity cost at 200 with that at 20; replaying the whole history every episode makes it grow.
 */
export async function durableOverhead(): Promise<Record<string, number>> {
  const host = await startTestHost({ clock: new VirtualClock() });
  try {
    await timeOrchestrated(host, 5);
    await timeDirect(host, 5);
    const figures: Record<string, number> = {};
    const perActivity: Record<number, number> = {};
    for (const count of [20, 200]) {
      const direct = await timeDirect(host, count);
      const orchestrated = await timeOrchestrated(host, count);
      figures[`durable.overhead_ratio_${count}`] = orchestrated / direct;
      perActivity[count] = orchestrated / count;
    }
    figures['durable.per_activity_growth_200_vs_20'] = (perActivity[200] ?? 0) / (perActivity[20] ?? 1);
    return figures;
  } finally {
    await host.stop();
  }
}
