import type { AuditActor } from './auditEntry';
import type { NoticeAction } from './notice';

/**
 * What set a freeze: a budget's threshold, an Azure Monitor alert firing on a target, a person, or
 * the `SHEPHERD_FROZEN_ENVIRONMENTS` setting (which only a change of the setting lifts).
 */
export const freezeSources = ['budget', 'alert', 'manual', 'setting'] as const;
export type FreezeSource = (typeof freezeSources)[number];

/** What a freeze holds: every target of an environment, or one target. */
export interface FreezeScope {
  kind: 'environment' | 'target';
  name: string;
}

/**
 * A freeze: while it is active, pushes to its environment or target are recorded and refused.
 * Rollbacks are never frozen, and a release already running may finish.
 */
export interface Freeze {
  scope: FreezeScope;
  /** Stable per cause: `manual`, `alert`, `setting`, `budget:<budget>:<period start>`. */
  id: string;
  source: FreezeSource;
  reason: string;
  /** Who or what set it. */
  by: AuditActor;
  /** ISO 8601; undefined for the setting's static freeze. */
  since?: string;
  /** ISO 8601: it lifts itself then (a budget's period end, a person's `until`). */
  until?: string;
  /** Releases already running when it began: they may finish, and their status says so. */
  releasesRunning: string[];
  /** For an alert freeze, the alerts still firing (their ids); it lifts when none is left. */
  alerts?: string[];
  /** When, by whom and why it was lifted; a lifted freeze is kept for the record. */
  lifted?: { at: string; by: AuditActor; reason: string };
}

/** Whether `freeze` still holds at `now` (epoch ms): not lifted, and its `until`, if any, not reached. */
export function isFreezeActive(freeze: Freeze, now: number): boolean {
  return freeze.lifted === undefined && (freeze.until === undefined || Date.parse(freeze.until) > now);
}

/** The active freezes that hold `target` (by its own name or its environment's), oldest first. */
export function freezesHolding(
  freezes: readonly Freeze[],
  target: { name: string; environment: string },
  now: number,
): Freeze[] {
  return freezes
    .filter(
      (f) =>
        isFreezeActive(f, now) &&
        (f.scope.kind === 'environment' ? f.scope.name === target.environment : f.scope.name === target.name),
    )
    .sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
}

/** The static freezes `SHEPHERD_FROZEN_ENVIRONMENTS` names, shown like the others. */
export function settingFreezes(environments: readonly string[]): Freeze[] {
  return environments.map((name) => ({
    scope: { kind: 'environment', name },
    id: 'setting',
    source: 'setting',
    reason: 'named in the SHEPHERD_FROZEN_ENVIRONMENTS setting; change the setting to lift it',
    by: { kind: 'shepherd' },
    releasesRunning: [],
  }));
}

/** What a freeze holds, in words: `the staging environment`, `target contoso-web`. */
export function describeScope(scope: FreezeScope): string {
  return scope.kind === 'environment' ? `the ${scope.name} environment` : `target ${scope.name}`;
}

/** Why a push is refused, for its release's status and notice: each freeze's cause and how to release later. */
export function refusalReason(
  target: { name: string; environment: string },
  freezes: readonly Freeze[],
  digest: string,
): string {
  const causes = freezes.map((f) => `${describeScope(f.scope)} is frozen (${f.source}: ${f.reason})`);
  const held = freezes.some((f) => f.scope.kind === 'environment')
    ? `releases to the ${target.environment} environment are frozen`
    : `releases to ${target.name} are frozen`;
  return `${held}: ${causes.join('; ')}. ${releaseAfterLiftHint(target.name, digest)}`;
}

/** How to release an image a freeze refused, once it lifts: the re-release endpoint. */
export function releaseAfterLiftHint(target: string, digest: string): string {
  return `Once the freeze lifts, release it with POST /api/targets/${target}/releases {"image": "${digest}", "reason": "…"}`;
}

/**
 * What to do about an image a freeze refused: release it with the re-release endpoint once the freeze
 * lifts; for `target` and `image` when the notice knows them, placeholders when it speaks of many.
 */
export function releaseAfterFreezeAction(target = '{target}', image = '<digest>'): NoticeAction {
  return {
    title: 'Release it once the freeze lifts',
    hint: `POST /api/targets/${target}/releases with {"image": "${image}", "reason": "…"}`,
  };
}
