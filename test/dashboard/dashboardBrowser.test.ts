import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserUnderTest, launchChromium } from '../support/browserUnderTest';
import { waitFor } from '../support/testHost';
import { secretValues, startCanaryScene } from './canaryScene';
import type { CanaryScene } from './canaryScene';

const { noBrowser } = browserUnderTest();
const keyHolder = 'a holder of the function key';

interface ReleaseView {
  phase?: string;
  runtimeStatus: string;
  outcome?: string;
  approval?: { approved: boolean; by: string; reason?: string; at: string };
  abortedBy?: { by: string; reason: string };
  windows: {
    step: number;
    trafficPercent: number;
    slot: { errorRate?: number; averageResponseMs?: number };
    production?: { errorRate?: number; averageResponseMs?: number };
  }[];
}

/** What one of the page's Chart.js charts plots, read from the chart itself. */
interface PlottedChart {
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
  canvasWidth: number;
}

describe(
  'the dashboard in headless Chromium, against Shepherd on the local host',
  { skip: noBrowser },
  () => {
    let scene: CanaryScene;
    let browser: Browser;
    let page: Page;
    let releaseId: string;
    const consoleErrors: string[] = [];

    before(async () => {
      scene = await startCanaryScene();
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(`${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (err) => consoleErrors.push(err.message));
    });

    after(async () => {
      await browser.close();
      await scene.stop();
    });

    const release = (id: string): Promise<ReleaseView> =>
      scene.api<ReleaseView>(`/api/releases/${encodeURIComponent(id)}`);

    /** Asks for `action` with `reason` in the page's dialog, from the button `selector` names. */
    async function act(selector: string, reason: string, until?: string): Promise<void> {
      await page.locator(selector).click({ timeout: 30_000 });
      await page.locator('#action-reason').fill(reason);
      if (until !== undefined) await page.locator('#action-until').fill(until);
      await page.locator('#action-confirm').click();
    }

    /** The release panel's chart `name` (`errors` or `latency`), as Chart.js holds it. */
    function plotted(id: string, name: string): Promise<PlottedChart | null> {
      return page.evaluate(
        ([releaseId, chartName]) => {
          const panel = [...document.querySelectorAll<HTMLElement>('article.release')].find(
            (a) => a.dataset.release === releaseId,
          );
          const canvas = panel?.querySelector<HTMLCanvasElement>(`canvas[data-chart="${chartName}"]`);
          const { Chart } = window as unknown as {
            Chart: {
              getChart(
                c: HTMLCanvasElement,
              ):
                | { data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } }
                | undefined;
            };
          };
          const chart = canvas ? Chart.getChart(canvas) : undefined;
          if (!canvas || !chart) return null;
          return {
            labels: [...chart.data.labels],
            datasets: chart.data.datasets.map((d) => ({ label: d.label, data: [...d.data] })),
            canvasWidth: canvas.width,
          };
        },
        [id, name] as const,
      );
    }

    it('loads with no console errors, shows every target and the secrets, and keeps the key out of sight', async () => {
      await page.goto(scene.dashboardUrl);
      await page.locator('#targets table').waitFor();
      await page.locator('#secrets table').waitFor();
      assert.equal(new URL(page.url()).search, '', 'the key is taken out of the address bar');

      const rows = await page.locator('#targets tbody tr').allInnerTexts();
      assert.equal(rows.length, 2);
      assert.match(
        rows[0] ?? '',
        /^web\tproduction\tcanary, approval\tcontoso\/web:1\.0\.0\t.*\tnone yet\tno\tnone running/,
      );
      assert.match(rows[1] ?? '', /^api\tstaging\tblueGreen\tcontoso\/api:1\.0\.0\t/);
      const secrets = await page.locator('#secrets tbody tr').allInnerTexts();
      assert.match(secrets[0] ?? '', /^session-key\tgenerated\tweb\t-?\d+ days\t.+\t\S/);
      assert.match(secrets[1] ?? '', /^partner-key\tmanual\tweb\t-?\d+ days\t.+\tby hand\tnever$/);
      const nextRotation = page.locator('#secrets tbody tr').first().locator('td').nth(5).locator('time');
      const { secrets: listed } = await scene.api<{ secrets: { name: string; nextRotation: string }[] }>(
        '/api/secrets',
      );
      assert.equal(
        await nextRotation.getAttribute('title'),
        listed.find((s) => s.name === 'session-key')?.nextRotation,
        'the generated secret shows when it is next rotated',
      );
      await page.locator('#audit > *').first().waitFor();
      assert.equal(await page.locator('#audit .problem').count(), 0);

      const html = await page.content();
      for (const secret of [scene.rig.functionKey, ...secretValues]) assert.ok(!html.includes(secret));
      assert.deepEqual(await page.context().cookies(), []);
      assert.deepEqual(
        await page.evaluate(() => [localStorage.length, sessionStorage.length]),
        [0, 0],
        'nothing is stored',
      );
      assert.deepEqual(consoleErrors, []);
    });

    it('approves a release waiting for a person from the page, with the reason given, and the release records it', async () => {
      releaseId = await scene.awaitingApproval('2.0.0');
      const panel = `article[data-release="${releaseId}"]`;
      assert.match(
        await page.locator(`${panel} [data-phase]`).innerText({ timeout: 30_000 }),
        /awaitingApproval/,
      );
      await act(`${panel} button[data-action="approve"]`, 'checked the slot by hand');
      await page.locator('#action').waitFor({ state: 'hidden' });
      assert.equal(await page.locator('#notice').innerText(), `Approved ${releaseId}.`);
      const approved = await waitFor(
        'the approval to reach the release',
        async () => (await release(releaseId)).approval,
        30_000,
      );
      assert.deepEqual(approved, {
        approved: true,
        by: keyHolder,
        reason: 'checked the slot by hand',
        at: approved.at,
      });
    });

    it("charts each judged window of the running canary, the slot against the target's gates and production", async () => {
      const [errors, latency] = await waitFor(
        'the page to chart two windows',
        async () => {
          const charts = await Promise.all([plotted(releaseId, 'errors'), plotted(releaseId, 'latency')]);
          return charts.every((c) => (c?.labels.length ?? 0) >= 2)
            ? (charts as [PlottedChart, PlottedChart])
            : undefined;
        },
        120_000,
      );
      // The release has judged at least the windows the page shows, and windows are only ever added.
      const { windows } = await release(releaseId);
      const shown = windows.slice(0, errors.labels.length);
      assert.deepEqual(
        errors.labels,
        shown.map((w) => `step ${w.step} · ${w.trafficPercent}%`),
      );
      assert.deepEqual(latency.labels, errors.labels);
      const percent = (rate: number | undefined) =>
        rate === undefined ? null : Number((rate * 100).toFixed(3));
      const ms = (value: number | undefined) => (value === undefined ? null : Math.round(value));
      assert.deepEqual(errors.datasets, [
        { label: 'slot', data: shown.map((w) => percent(w.slot.errorRate)) },
        { label: 'production', data: shown.map((w) => percent(w.production?.errorRate)) },
        { label: 'gate 4.00%', data: shown.map(() => 4) },
      ]);
      assert.deepEqual(latency.datasets, [
        { label: 'slot', data: shown.map((w) => ms(w.slot.averageResponseMs)) },
        { label: 'production', data: shown.map((w) => ms(w.production?.averageResponseMs)) },
        { label: 'gate 250 ms', data: shown.map(() => 250) },
      ]);
      assert.ok(
        errors.datasets.every((d) => d.data.every((v) => v !== null)),
        'each window has the slot’s and production’s numbers',
      );
      assert.ok(errors.canvasWidth > 0 && latency.canvasWidth > 0);
      assert.deepEqual(consoleErrors, []);
    });

    it('freezes an environment and lifts the freeze from the page, each with its reason', async () => {
      await act('button[data-action="freeze"][data-environment="staging"]', 'quarter-end change freeze');
      await page.locator('#action').waitFor({ state: 'hidden' });
      const { freezes } = await scene.api<{
        freezes: { holds: string; reason: string; by: { name: string } }[];
      }>('/api/freezes');
      assert.deepEqual(
        freezes.map((f) => [f.holds, f.reason, f.by.name]),
        [['the staging environment', 'quarter-end change freeze', keyHolder]],
      );
      await act('button[data-action="lift"][data-environment="staging"]', 'quarter closed');
      await page.locator('#action').waitFor({ state: 'hidden' });
      assert.deepEqual((await scene.api<{ freezes: unknown[] }>('/api/freezes')).freezes, []);
    });

    it("shows Shepherd's problem detail in the dialog when it refuses an action, and starts nothing", async () => {
      const before = consoleErrors.length;
      await act('button[data-action="freeze"][data-environment="staging"]', 'too late', '2020-01-01T00:00');
      const problem = page.locator('#action-problem');
      await problem.waitFor();
      assert.match(
        await problem.innerText(),
        /^A freeze needs a reason, and may say until when\. — .*future/,
      );
      assert.ok(await page.locator('#action').isVisible(), 'the dialog stays open to put it right');
      await page.locator('#action-cancel').click();
      assert.deepEqual((await scene.api<{ freezes: unknown[] }>('/api/freezes')).freezes, []);
      // The browser's own line for the refused request is the only error.
      assert.deepEqual(
        consoleErrors.slice(before).map((e) => /status of 400/.test(e)),
        consoleErrors.slice(before).map(() => true),
      );
    });

    it('rolls the running canary back from the page, recording who asked and why', async () => {
      await act(
        `article[data-release="${releaseId}"] button[data-action="rollback"]`,
        'drill from the dashboard',
      );
      await page.locator('#action').waitFor({ state: 'hidden' });
      const ended = await waitFor(
        'the release to roll back',
        async () => {
          const view = await release(releaseId);
          return view.runtimeStatus === 'Completed' ? view : undefined;
        },
        90_000,
      );
      assert.equal(ended.outcome, 'rolledBack');
      assert.deepEqual(ended.abortedBy, { by: keyHolder, reason: 'drill from the dashboard' });
      await page.locator('#release-list .empty').waitFor({ timeout: 30_000 });
    });
  },
);
