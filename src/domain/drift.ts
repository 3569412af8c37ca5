import type { CleanupItem } from './cleanupPlan';
import type { KnownGood } from './knownGood';

/** What one target's site looks like now, as ARM answers. */
export type ObservedTarget =
  | { target: string; site: string; found: false }
  | {
      target: string;
      /** The site's name, for messages. */
      site: string;
      found: true;
      /** The target's staging slot. */
      slot: string;
      /** The site's traffic-routing rules: slot and share. */
      routing: { slot: string; percent: number }[];
      /** Every slot's state (`production` first), as ARM's `state` says. */
      states: { slot: string; state: string }[];
      /** The images production and the staging slot run; undefined when a slot runs none. */
      images: { production?: string; staging?: string };
    };

/** What Shepherd itself set or knows of the target, to compare with what is observed. */
export interface ExpectedTarget {
  /** The site's known-good tags, written by Shepherd after each release and rollback. */
  knownGood: KnownGood;
  /** The target's releases still running or waiting. */
  runningReleases: string[];
  /** Releases running on the site by any target that shares it: a routing rule is theirs. */
  siteReleases: string[];
  /** The active budget freezes holding the target: a budget's critical threshold stops apps. */
  budgetFreezes: string[];
}

interface ImageName {
  repository: string;
  tag?: string;
  digest?: string;
}

/** `registry/repo[:tag][@sha256:…]` split into its parts, the registry and repository in lower case. */
function imageName(image: string): ImageName {
  const [name = '', digest] = image.split('@');
  const colon = name.lastIndexOf(':');
  const tagged = colon > name.lastIndexOf('/');
  return {
    repository: (tagged ? name.slice(0, colon) : name).toLowerCase(),
    ...(tagged ? { tag: name.slice(colon + 1) } : {}),
    ...(digest ? { digest: digest.toLowerCase() } : {}),
  };
}

/**
 * Whether two image references name the same image: the same repository and, when both carry a
 * digest, the same digest (a known-good tag kept by digest alone still matches its tagged form);
 * otherwise the same tag.
 */
export function sameImage(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = imageName(a);
  const y = imageName(b);
  if (x.repository !== y.repository) return false;
  if (x.digest !== undefined && y.digest !== undefined) return x.digest === y.digest;
  return x.tag !== undefined && x.tag === y.tag;
}

function item(
  target: string,
  check: string,
  what: string,
  action: CleanupItem['action'],
  reasons: string[],
): CleanupItem {
  return { id: `drift:${target}:${check}`, what, action, reasons, detail: { target } };
}

/** A routing rule is Shepherd's only while one of its releases runs on the site; else it is cleared. */
function routingDrift(
  seen: Extract<ObservedTarget, { found: true }>,
  expected: ExpectedTarget,
): CleanupItem[] {
  if (seen.routing.length === 0) return [];
  const rules = seen.routing.map((r) => `${r.percent}% to ${r.slot}`).join(', ');
  const what = `traffic routing of ${seen.site} (${rules})`;
  if (expected.siteReleases.length > 0)
    return [
      item(seen.target, 'routing', what, 'keep', [
        `release ${expected.siteReleases.join(', ')} is running and owns it`,
      ]),
    ];
  return [
    item(seen.target, 'routing', what, 'fix', [
      'no release is running: a stray canary share is never right, so the rules are cleared',
    ]),
  ];
}

/** A slot stopped is drift unless a budget freeze stopped it. */
function stateDrift(seen: Extract<ObservedTarget, { found: true }>, expected: ExpectedTarget): CleanupItem[] {
  const ours = seen.states.filter((s) => s.slot === 'production' || s.slot === seen.slot);
  const items: CleanupItem[] = [];
  if (!ours.some((s) => s.slot === seen.slot))
    items.push(
      item(seen.target, `slot:${seen.slot}`, `${seen.site}/${seen.slot}`, 'report', [
        `the staging slot ${seen.slot} is missing: the next release has nowhere to go`,
      ]),
    );
  for (const { slot, state } of ours) {
    if (state.toLowerCase() !== 'stopped') continue;
    const what = slot === 'production' ? `${seen.site} (production)` : `${seen.site}/${slot}`;
    items.push(
      expected.budgetFreezes.length > 0
        ? item(seen.target, `stopped:${slot}`, what, 'keep', [
            `stopped by the budget freeze ${expected.budgetFreezes.join(', ')}`,
          ])
        : item(seen.target, `stopped:${slot}`, what, 'report', [
            'stopped, and no budget freeze stopped it: stopped outside Shepherd',
          ]),
    );
  }
  return items;
}

/**
 * Production against the known-good record, which only Shepherd writes. While a release of the
 * target runs, images change by design, so nothing is compared. The staging slot running the
 * known-good image while production runs another is the mark of a swap done outside Shepherd (after
 * its own swap, staging holds the image production ran before); any other difference is an image put
 * on production outside Shepherd.
 */
function imageDrift(seen: Extract<ObservedTarget, { found: true }>, expected: ExpectedTarget): CleanupItem[] {
  const { latest, before } = expected.knownGood;
  if (latest === undefined || expected.runningReleases.length > 0) return [];
  const { production, staging } = seen.images;
  if (sameImage(production, latest)) return [];
  const runs = production ?? 'no container image';
  if (sameImage(staging, latest))
    return [
      item(seen.target, 'swap', `${seen.site} slots`, 'report', [
        `${seen.slot} runs the known-good ${latest} while production runs ${runs}: the slots were swapped outside Shepherd`,
      ]),
    ];
  const reasons = [`production runs ${runs}, not the known-good ${latest}`];
  if (sameImage(production, before))
    reasons.push(`that is the image known good before it: rolled back outside Shepherd`);
  return [item(seen.target, 'production-image', `${seen.site} production image`, 'report', reasons)];
}

/**
 * What differs on one target from what Shepherd last set. `fix`: a routing rule with no release
 * running (cleared). `report` (told to people, never changed): a site missing, a slot stopped with no
 * budget freeze behind it, the staging slot missing, production off the known-good image, the slots
 * swapped outside Shepherd. `keep` items say why something that looks odd is expected.
 */
export function findDrift(observed: ObservedTarget, expected: ExpectedTarget): CleanupItem[] {
  if (!observed.found)
    return [
      item(observed.target, 'site', observed.site, 'report', [
        'the site is missing (404): deleted or moved outside Shepherd',
      ]),
    ];
  return [
    ...routingDrift(observed, expected),
    ...stateDrift(observed, expected),
    ...imageDrift(observed, expected),
  ];
}
