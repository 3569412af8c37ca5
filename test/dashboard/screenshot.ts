import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { launchChromium } from '../support/browserUnderTest';
import { call, repoRoot, waitFor } from '../support/testHost';
import { startCanaryScene } from './canaryScene';

/**
 * `npm run dashboard:screenshot [-- <file.png>]`: a PNG of the dashboard following a running canary
 * (three windows judged) on the sandbox, for the README (docs/dashboard.png unless a file is named).
 */
async function main(): Promise<void> {
  const file = resolve(process.argv[2] ?? `${repoRoot}/docs/dashboard.png`);
  const scene = await startCanaryScene();
  const browser = await launchChromium();
  try {
    const releaseId = await scene.awaitingApproval('2.0.0');
    const approved = await call(scene.rig.url, `/api/releases/${encodeURIComponent(releaseId)}/approve`, {
      method: 'POST',
      key: scene.rig.functionKey,
      body: { reason: 'checked the slot' },
    });
    if (approved.status !== 202)
      throw new Error(`the approval answered ${approved.status}: ${approved.text}`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(scene.dashboardUrl);
    const windowRows = page.locator('article.release table tbody tr');
    await waitFor(
      'three windows on the page',
      async () => ((await windowRows.count()) >= 3 ? true : undefined),
      120_000,
    );
    mkdirSync(dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    process.stdout.write(`${file}\n`);
  } finally {
    await browser.close();
    await scene.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  // A scene that failed half-way may still hold servers open: end here rather than hang.
  process.exit(1);
});
