import type { Chart as ChartJs, ChartConfiguration } from 'chart.js';
import { el } from './dom.js';
import type { GatesView, WindowView } from './views.js';

// Chart.js's UMD build, loaded by the page before this module, with every chart type registered.
declare global {
  interface Window {
    Chart: typeof ChartJs;
  }
}

const verdictColours: Record<string, string> = { pass: '#1a7f37', fail: '#cf222e', inconclusive: '#9a6700' };
const slotColour = '#0969da';
const productionColour = '#6e7781';
const gateColour = '#cf222e';

/** A window's label on the x axis: its step and traffic share, or the bake after the swap. */
function windowLabel(w: WindowView): string {
  return w.step === 0 ? 'bake' : `step ${w.step} · ${w.trafficPercent}%`;
}

const asPercent = (rate: number | null | undefined): number | null =>
  rate === null || rate === undefined ? null : Number((rate * 100).toFixed(3));
const asMs = (ms: number | null | undefined): number | null =>
  ms === null || ms === undefined ? null : Math.round(ms);

/** What one chart plots per window, and the gate it is held against. */
interface Measure {
  title: string;
  unit: string;
  slot: (w: WindowView) => number | null;
  production: (w: WindowView) => number | null;
  gate: (g: GatesView) => number;
  gateLabel: (g: GatesView) => string;
}

const measures: Record<'errors' | 'latency', Measure> = {
  errors: {
    title: '5xx rate',
    unit: '%',
    slot: (w) => asPercent(w.slot.errorRate),
    // Production's own window, or its earlier windows pooled when it served no one in this one.
    production: (w) => asPercent(w.production?.errorRate ?? w.comparison?.baseline?.errorRate),
    gate: (g) => g.max5xxRate * 100,
    gateLabel: (g) => `gate ${(g.max5xxRate * 100).toFixed(2)}%`,
  },
  latency: {
    title: 'average response time',
    unit: 'ms',
    slot: (w) => asMs(w.slot.averageResponseMs),
    production: (w) => asMs(w.production?.averageResponseMs),
    gate: (g) => g.maxAverageResponseMs,
    gateLabel: (g) => `gate ${g.maxAverageResponseMs} ms`,
  },
};

function configOf(measure: Measure): ChartConfiguration<'line', (number | null)[], string> {
  return {
    type: 'line',
    data: {
      labels: [],
      datasets: [
        { label: 'slot', data: [], borderColor: slotColour, backgroundColor: slotColour, pointRadius: 5 },
        { label: 'production', data: [], borderColor: productionColour, backgroundColor: productionColour },
        { label: 'gate', data: [], borderColor: gateColour, borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: true,
      scales: { y: { beginAtZero: true, title: { display: true, text: measure.unit } } },
      plugins: { title: { display: true, text: measure.title } },
    },
  };
}

/**
 * A canary's two charts, 5xx rate and average response time per judged window, each with the slot,
 * production and the target's gate; the slot's points coloured by the window's verdict.
 */
export class CanaryCharts {
  readonly element: HTMLElement;
  private readonly charts: [Measure, ChartJs<'line', (number | null)[], string>][];

  constructor() {
    this.element = el('div', { className: 'charts' });
    this.charts = (['errors', 'latency'] as const).map((name) => {
      const canvas = el('canvas', { data: { chart: name } });
      canvas.setAttribute('role', 'img');
      canvas.setAttribute(
        'aria-label',
        `${measures[name].title} of each window against its gate and production`,
      );
      this.element.append(el('div', { className: 'chart' }, canvas));
      return [measures[name], new window.Chart(canvas, configOf(measures[name]))];
    });
  }

  /** Plots `windows` against `gates` (the gate line is left out when the target's gates are unknown). */
  show(windows: WindowView[], gates: GatesView | undefined): void {
    for (const [measure, chart] of this.charts) {
      chart.data.labels = windows.map(windowLabel);
      const [slot, production, gate] = chart.data.datasets;
      if (slot === undefined || production === undefined || gate === undefined) continue;
      slot.data = windows.map(measure.slot);
      slot.pointBackgroundColor = windows.map((w) => verdictColours[w.verdict] ?? slotColour);
      production.data = windows.map(measure.production);
      gate.data = gates === undefined ? [] : windows.map(() => measure.gate(gates));
      gate.label = gates === undefined ? 'gate' : measure.gateLabel(gates);
      chart.update('none');
    }
  }

  destroy(): void {
    for (const [, chart] of this.charts) chart.destroy();
  }
}
