import type { Action } from './actionDialog.js';
import { approve, reject, rollBack } from './actions.js';
import type { Api } from './api.js';
import { CanaryCharts } from './canaryCharts.js';
import { button, el, imageText, percentText, table } from './dom.js';
import type { Child } from './dom.js';
import type { ReleaseView, TargetView, WindowView } from './views.js';

const ms = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${Math.round(value)} ms`;

function windowRow(w: WindowView): Child[] {
  return [
    w.step === 0 ? 'bake' : `${w.step} (${w.trafficPercent}%)`,
    el('span', { className: `verdict ${w.verdict}` }, w.verdict),
    String(w.slot.requests),
    percentText(w.slot.errorRate),
    percentText(w.production?.errorRate),
    ms(w.slot.averageResponseMs),
    ms(w.production?.averageResponseMs),
    (w.reasons ?? []).join('; '),
  ];
}

/** A labelled value of the release's summary. */
function fact(label: string, value: Child): HTMLElement {
  return el('div', {}, el('dt', {}, label), el('dd', {}, value));
}

/**
 * One release in progress: where it stands, the answers it waits for, and (once windows are judged)
 * its canary charts. Kept across refreshes so its charts update in place.
 */
export class ReleasePanel {
  readonly element: HTMLElement;
  private readonly summary = el('div');
  /** Holds the charts once there are windows; never emptied, so they update in place. */
  private readonly chartSlot = el('div');
  private readonly windowTable = el('div');
  private charts: CanaryCharts | undefined;

  constructor(readonly id: string) {
    this.element = el(
      'article',
      { className: 'release', data: { release: id } },
      this.summary,
      this.chartSlot,
      this.windowTable,
    );
  }

  show(release: ReleaseView, target: TargetView, api: Api, act: (action: Action) => void): void {
    const windows = release.windows ?? [];
    const traffic = release.trafficPercent ?? 0;
    const meter = el('progress', { title: `${traffic}% of users on the slot` });
    meter.max = 100;
    meter.value = traffic;
    const awaiting = release.phase === 'awaitingApproval';
    this.summary.replaceChildren(
      el(
        'h3',
        {},
        `${target.name}: `,
        release.kind === 'rollback' ? 'rollback to ' : 'release of ',
        imageText(release.image),
      ),
      el(
        'dl',
        {},
        fact('id', release.id),
        fact(
          'phase',
          el(
            'span',
            { className: 'phase', data: { phase: release.phase ?? '' } },
            release.phase ?? 'pending',
          ),
        ),
        fact('traffic on the slot', el('span', {}, meter, ` ${traffic}%`)),
        release.phase === 'warmingUp' && release.warmUp && fact('warming up', release.warmUp.detail),
        release.approval &&
          fact(
            release.approval.approved ? 'approved by' : 'rejected by',
            `${release.approval.by}${release.approval.reason === undefined ? '' : `: ${release.approval.reason}`}`,
          ),
        release.windowCount !== undefined &&
          release.windowCount > windows.length &&
          fact('windows', `the latest ${windows.length} of ${release.windowCount}`),
      ),
      el(
        'div',
        { className: 'actions' },
        awaiting && button('Approve', () => act(approve(api, release.id)), { action: 'approve' }),
        awaiting && button('Reject', () => act(reject(api, release.id)), { action: 'reject' }),
        button('Roll back', () => act(rollBack(api, target.name, true)), { action: 'rollback' }),
      ),
    );
    if (windows.length === 0) return;
    if (this.charts === undefined) {
      this.charts = new CanaryCharts();
      this.chartSlot.append(this.charts.element);
    }
    this.charts.show(windows, target.gates);
    this.windowTable.replaceChildren(
      table(
        ['step', 'verdict', 'requests', 'slot 5xx', 'production 5xx', 'slot time', 'production time', 'why'],
        windows.map(windowRow),
        '',
      ),
    );
  }

  destroy(): void {
    this.charts?.destroy();
    this.element.remove();
  }
}
