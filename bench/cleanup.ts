import { performance } from 'node:perf_hooks';
import { registryModule } from '../dev/sandbox/registry/module';
import type { SandboxRegistry } from '../dev/sandbox/registry/module';
import { AcrRegistryManifests } from '../src/azure/registryManifests';
import { planRegistryRetention } from '../src/domain/registryRetention';
import { sandboxCredential, startTestSandbox } from '../test/support/sandbox';

const loginServer = 'benchregistry.azurecr.io';
const repository = 'contoso/web';
const manifestCount = 10_000;

/**
 * `npm run bench -- cleanup`: a sandbox repository of 10,000 manifests (tagged images a few hours
 * apart, every tenth pushed again so its old manifest is left untagged, and a multi-arch index every
 * hundred) listed and planned with the default rules, then every planned deletion carried out one by
 * one, through the real `@azure/container-registry`. Prints the seconds listing and planning took,
 * deletions a second, and the registry requests (token exchanges included) per manifest (target ≤ 1.1).
 */
export async function cleanupBenchmark(): Promise<Record<string, number>> {
  const registry = registryModule({ loginServer });
  const sandbox = await startTestSandbox([registry.module]);
  try {
    seedRepository((image) => registry.seed(image));
    const manifests = new AcrRegistryManifests({
      credential: sandboxCredential(sandbox.url, sandbox.identity),
      endpoint: sandbox.url,
    });
    const where = { loginServer, repository };
    const requestsBefore = registry.requestCount();

    const planStarted = performance.now();
    const listed = await manifests.list(where);
    const rules = { tagFilter: '.*', olderThanDays: 30, keep: 10, untaggedDays: 7 };
    const items = planRegistryRetention({ ...where, manifests: listed }, [], rules, new Date());
    const planSeconds = (performance.now() - planStarted) / 1000;
    if (listed.length !== manifestCount)
      throw new Error(`listed ${listed.length} of ${manifestCount} manifests`);

    const deletions = items.filter((i) => i.action === 'delete');
    const deleteStarted = performance.now();
    for (const item of deletions) await manifests.deleteManifest(where, String(item.detail?.digest));
    const deleteSeconds = (performance.now() - deleteStarted) / 1000;

    return {
      'cleanup.manifests': listed.length,
      'cleanup.deletions': deletions.length,
      'cleanup.plan_s': planSeconds,
      'cleanup.deletes_per_s': deletions.length / deleteSeconds,
      'cleanup.registry_calls_per_manifest': (registry.requestCount() - requestsBefore) / manifestCount,
    };
  } finally {
    await sandbox.close();
  }
}

/** Fills the repository with exactly `manifestCount` manifests of many ages. */
function seedRepository(seed: SandboxRegistry['seed']): void {
  let made = 0;
  for (let i = 0; made < manifestCount; i++) {
    const ageDays = (manifestCount - made) / 24;
    if (i % 100 === 99 && made + 3 <= manifestCount) {
      const amd = seed({ repository, ageDays });
      const arm = seed({ repository, ageDays, architecture: 'arm64' });
      seed({ repository, tag: `multi-${i}`, ageDays, platforms: [amd, arm] });
      made += 3;
    } else if (i % 10 === 9 && made + 2 <= manifestCount) {
      seed({ repository, tag: `build-${i}`, ageDays: ageDays + 1 });
      seed({ repository, tag: `build-${i}`, ageDays });
      made += 2;
    } else {
      seed({ repository, tag: `build-${i}`, ageDays });
      made += 1;
    }
  }
}
