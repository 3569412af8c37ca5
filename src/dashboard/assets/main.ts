import { actionDialog } from './actionDialog.js';
import type { Action } from './actionDialog.js';
import { ApiProblem, apiWith, segment } from './api.js';
import { byId, el } from './dom.js';
import { ReleasePanel } from './releasePanel.js';
import { auditTable, environmentsList, secretsTable, targetsTable } from './sections.js';
import type { AuditEntryView, ReleaseView, SecretView, TargetView } from './views.js';

/** While a release runs the page follows it closely; otherwise it looks again now and then. */
const runningRefreshMs = 3_000;
const idleRefreshMs = 10_000;
const auditEntriesShown = 20;

/**
 * The function key the page was opened with (`?code=`), taken out of the address bar at once so it
 * is neither shown on screen nor kept in the history; it lives in this page's memory only.
 */
function takeKey(): string | undefined {
  const url = new URL(location.href);
  const key = url.searchParams.get('code') ?? undefined;
  url.searchParams.delete('code');
  history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  return key;
}

const api = apiWith(takeKey());
const panels = new Map<string, ReleasePanel>();
let timer: number | undefined;

const messageOf = (err: unknown): string =>
  err instanceof ApiProblem ? err.message : 'Shepherd could not be reached; trying again.';

/** Loads one section and shows it, or shows why it could not be loaded in its place. */
async function section<T>(
  id: string,
  load: () => Promise<T>,
  render: (value: T) => HTMLElement,
): Promise<T | undefined> {
  try {
    const value = await load();
    byId(id).replaceChildren(render(value));
    return value;
  } catch (err) {
    byId(id).replaceChildren(el('p', { className: 'problem' }, messageOf(err)));
    return undefined;
  }
}

async function showReleases(targets: TargetView[], act: (action: Action) => void): Promise<void> {
  const running = targets.filter((t) => t.release);
  const list = byId('release-list');
  const shown = await Promise.all(
    running.map(async (target) => {
      const id = target.release?.id ?? '';
      const panel = panels.get(id) ?? new ReleasePanel(id);
      panels.set(id, panel);
      try {
        panel.show(await api.get<ReleaseView>(`releases/${segment(id)}`), target, api, act);
      } catch (err) {
        panel.element.replaceChildren(el('p', { className: 'problem' }, `${id}: ${messageOf(err)}`));
      }
      return panel;
    }),
  );
  for (const [id, panel] of panels)
    if (!shown.includes(panel)) {
      panel.destroy();
      panels.delete(id);
    }
  list.replaceChildren(
    ...(shown.length > 0
      ? shown.map((p) => p.element)
      : [el('p', { className: 'empty' }, 'No release is running.')]),
  );
}

/** Loads every section once; answers whether a release is running. */
async function load(): Promise<boolean> {
  const [targets] = await Promise.all([
    section(
      'targets',
      () => api.get<{ targets: TargetView[] }>('targets').then((b) => b.targets),
      (t) => targetsTable(t, api, act),
    ),
    section(
      'secrets',
      () => api.get<{ secrets: SecretView[] }>('secrets').then((b) => b.secrets),
      secretsTable,
    ),
    section(
      'audit',
      () => api.get<{ entries: AuditEntryView[] }>(`audit?top=${auditEntriesShown}`).then((b) => b.entries),
      auditTable,
    ),
  ]);
  if (targets !== undefined) {
    byId('environments').replaceChildren(environmentsList(targets, api, act));
    await showReleases(targets, act);
  }
  return targets?.some((t) => t.release) ?? false;
}

let loading = false;
let loadAgain = false;

/** Loads the page's sections now, then again on the clock; one load at a time. */
async function refresh(): Promise<void> {
  if (loading) {
    loadAgain = true;
    return;
  }
  loading = true;
  window.clearTimeout(timer);
  const running = await load();
  loading = false;
  if (loadAgain) {
    loadAgain = false;
    void refresh();
    return;
  }
  byId('refreshed').textContent = `Updated ${new Date().toLocaleTimeString()}; again in ${
    (running ? runningRefreshMs : idleRefreshMs) / 1000
  } s${running ? ' while a release runs' : ''}.`;
  timer = window.setTimeout(() => void refresh(), running ? runningRefreshMs : idleRefreshMs);
}

const act = actionDialog((said) => {
  const notice = byId('notice');
  notice.textContent = said;
  notice.hidden = false;
  void refresh();
});

void refresh();
