import type { Action } from './actionDialog.js';
import { freeze, liftFreeze, rollBack } from './actions.js';
import type { Api } from './api.js';
import { button, el, imageText, table, timeText } from './dom.js';
import type { Child } from './dom.js';
import type { AuditEntryView, SecretView, TargetView } from './views.js';

/** A value the API could not read: said as such, with why in its tooltip. */
function unknownOr(target: TargetView, read: string, shown: Child): Child {
  const why = target.unknown?.[read];
  return why === undefined ? shown : el('span', { className: 'unknown', title: why }, 'unknown');
}

function freezesText(target: TargetView): Child {
  const freezes = target.freezes ?? [];
  if (freezes.length === 0) return 'no';
  return el(
    'ul',
    { className: 'freezes' },
    ...freezes.map((f) =>
      el(
        'li',
        {},
        `${f.holds} (${f.source}): ${f.reason}`,
        f.until === undefined ? '' : ` until `,
        f.until && timeText(f.until),
      ),
    ),
  );
}

/** Every target: what production and its slot run, its known good image, what holds it, its release. */
export function targetsTable(targets: TargetView[], api: Api, act: (action: Action) => void): HTMLElement {
  return table(
    ['target', 'environment', 'strategy', 'production', 'slot', 'known good', 'frozen', 'release', ''],
    targets.map((t) => [
      el('strong', {}, t.name),
      t.environment,
      `${t.strategy}${t.approvalRequired ? ', approval' : ''}`,
      unknownOr(t, 'production', imageText(t.production)),
      unknownOr(t, 'slot', imageText(t.slot)),
      unknownOr(
        t,
        'knownGood',
        t.knownGood?.latest === undefined ? 'none yet' : imageText(t.knownGood.latest),
      ),
      unknownOr(t, 'freezes', freezesText(t)),
      unknownOr(
        t,
        'release',
        t.release ? `${t.release.phase}, ${t.release.trafficPercent}% on the slot` : 'none running',
      ),
      button('Roll back', () => act(rollBack(api, t.name, Boolean(t.release))), {
        action: 'rollback',
        target: t.name,
      }),
    ]),
    'The targets file names no target.',
  );
}

/** Each environment the targets belong to, with its freeze and lift actions. */
export function environmentsList(
  targets: TargetView[],
  api: Api,
  act: (action: Action) => void,
): HTMLElement {
  const environments = [...new Set(targets.map((t) => t.environment))];
  return table(
    ['environment', 'targets', 'frozen', ''],
    environments.map((name) => {
      const members = targets.filter((t) => t.environment === name);
      const frozen = members.some((t) => (t.freezes ?? []).length > 0);
      return [
        el('strong', {}, name),
        members.map((t) => t.name).join(', '),
        frozen ? 'yes' : 'no',
        el(
          'span',
          { className: 'actions' },
          button('Freeze', () => act(freeze(api, name)), { action: 'freeze', environment: name }),
          frozen &&
            button('Lift freeze', () => act(liftFreeze(api, name)), { action: 'lift', environment: name }),
        ),
      ];
    }),
    'No environments.',
  );
}

/** The managed secrets and when each is rotated next; the API never gives a value. */
export function secretsTable(secrets: SecretView[]): HTMLElement {
  return table(
    ['secret', 'kind', 'consumers', 'version age', 'expires', 'next rotation', 'last rotation'],
    secrets.map((s) => [
      el('strong', {}, s.name),
      s.kind,
      s.consumers.join(', '),
      s.problem ?? (s.current ? `${s.current.ageDays} days` : 'no version'),
      s.current?.expiresOn ? timeText(s.current.expiresOn) : '–',
      s.nextRotation === null || s.nextRotation === undefined
        ? 'by hand'
        : Number.isNaN(Date.parse(s.nextRotation))
          ? s.nextRotation
          : timeText(s.nextRotation),
      s.lastRotation
        ? el('span', {}, `${s.lastRotation.outcome ?? 'running'}, `, timeText(s.lastRotation.startedAt))
        : 'never',
    ]),
    'No managed secrets.',
  );
}

function actorText(by: AuditEntryView['by']): string {
  return by.name ?? by.rule ?? by.image ?? by.kind;
}

/** The newest entries of the audit trail. */
export function auditTable(entries: AuditEntryView[]): HTMLElement {
  return table(
    ['when', 'what', 'about', 'who', 'outcome', 'detail'],
    entries.map((e) => [
      timeText(e.at),
      e.action,
      `${e.subject.kind} ${e.subject.name}`,
      actorText(e.by),
      e.outcome,
      e.detail,
    ]),
    'Nothing recorded yet.',
  );
}
