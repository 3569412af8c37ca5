import type { CleanupItem } from './cleanupPlan';
import { subjectOfAttachmentTag } from './pushedArtifact';

/** One manifest of a repository as the registry's listing describes it. */
export interface ListedManifest {
  digest: string;
  tags: string[];
  /** Tags on it that are locked (`deleteEnabled` or `writeEnabled` false): ACR refuses to delete the manifest. */
  lockedTags: string[];
  /** ISO 8601: the manifest's `lastUpdateTime`. */
  lastUpdatedOn: string;
  architecture?: string | undefined;
  os?: string | undefined;
  /** The platform manifests a multi-arch index lists; empty for an image. */
  children: string[];
  canDelete: boolean;
  canWrite: boolean;
  /** The manifest it refers to (an OCI `subject`: a Notation signature, an attestation, an SBOM). */
  subject?: string | undefined;
}

/** Every manifest of one repository, from one complete listing. */
export interface RepositoryListing {
  loginServer: string;
  repository: string;
  manifests: ListedManifest[];
}

/** A digest something still needs, and what needs it (`running in web/production`). */
export interface InUseImage {
  digest: string;
  reason: string;
}

/** The `acr purge`-like rules a target's settings give (`cleanup.registry`). */
export interface RegistryRetentionRules {
  /** A regular expression every tag of a manifest must match, whole, for the manifest to go. */
  tagFilter: string;
  olderThanDays: number;
  /** The newest tagged images matching the filter that stay whatever their age. */
  keep: number;
  untaggedDays: number;
}

const dayMs = 86_400_000;

interface Verdict {
  action: 'delete' | 'keep';
  reasons: string[];
}

/**
 * What registry cleanup does with each manifest of a repository: `acr purge`'s rules (filter, age,
 * keep the newest N, untagged after N days) decide first; then whatever something needs is kept,
 * with the reason, whatever those rules said: a digest in use, a locked manifest or tag, the
 * platform images of a kept index, the signatures of a kept image and the image a kept signature
 * signs. A deleted index takes the platform images nothing else needs; a deleted image takes its
 * signatures. Deletions come first signatures, then indexes, then images, so that nothing deleted is
 * still referred to by something deleted later.
 */
export function planRegistryRetention(
  listing: RepositoryListing,
  inUse: readonly InUseImage[],
  rules: RegistryRetentionRules,
  now: Date,
): CleanupItem[] {
  const graph = manifestGraph(listing.manifests);
  const verdicts = new Map<string, Verdict>();
  for (const [digest, verdict] of purgeVerdicts(listing.manifests, graph, rules, now))
    verdicts.set(digest, verdict);

  const needed = new Map<string, string[]>();
  const need = (digest: string, reason: string): void => {
    if (!graph.byDigest.has(digest)) return;
    needed.set(digest, [...(needed.get(digest) ?? []), reason]);
  };
  for (const { digest, reason } of inUse) need(digest, reason);
  for (const m of listing.manifests) for (const reason of lockReasons(m)) need(m.digest, reason);
  for (const [digest, verdict] of verdicts)
    if (verdict.action === 'keep') need(digest, verdict.reasons[0] ?? 'kept');
  keepWhatKeptManifestsNeed(graph, needed);

  const items = listing.manifests.map((m): CleanupItem & { order: number } => {
    const kept = needed.get(m.digest);
    const verdict = kept
      ? { action: 'keep' as const, reasons: [...new Set(kept)] }
      : (verdicts.get(m.digest) ?? followerVerdict(m.digest, graph));
    return {
      id: `registry:${listing.repository}@${m.digest}`,
      what: describeManifest(listing.repository, m),
      action: verdict.action,
      reasons: verdict.reasons,
      detail: { loginServer: listing.loginServer, repository: listing.repository, digest: m.digest },
      order: deletionOrder(m, graph),
    };
  });
  return items
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
    .map(({ order: _order, ...item }) => item);
}

/** Who refers to whom: the platform images of each index, and the signatures of each image. */
interface ManifestGraph {
  byDigest: Map<string, ListedManifest>;
  /** Index digest → platform image digests it lists (those in the repository). */
  childrenOf: Map<string, string[]>;
  /** Platform image digest → indexes listing it. */
  parentsOf: Map<string, string[]>;
  /** Signature (attachment) digest → the digest it is attached to. */
  subjectOf: Map<string, string>;
  /** Image digest → its signatures and other attachments. */
  referrersOf: Map<string, string[]>;
}

function manifestGraph(manifests: readonly ListedManifest[]): ManifestGraph {
  const byDigest = new Map(manifests.map((m) => [m.digest, m]));
  const graph: ManifestGraph = {
    byDigest,
    childrenOf: new Map(),
    parentsOf: new Map(),
    subjectOf: new Map(),
    referrersOf: new Map(),
  };
  const add = (map: Map<string, string[]>, key: string, value: string): void => {
    map.set(key, [...(map.get(key) ?? []), value]);
  };
  for (const m of manifests) {
    for (const child of m.children) {
      add(graph.childrenOf, m.digest, child);
      add(graph.parentsOf, child, m.digest);
    }
    // An OCI subject, or cosign's tag naming the signed digest (`sha256-<hex>.sig`).
    const subject = m.subject ?? m.tags.map(subjectOfAttachmentTag).find((s) => s !== undefined);
    if (subject !== undefined) {
      graph.subjectOf.set(m.digest, subject);
      add(graph.referrersOf, subject, m.digest);
    }
  }
  return graph;
}

/**
 * `acr purge`'s verdicts on the manifests that stand on their own: tagged images and untagged
 * manifests no index lists. Signatures of an image in the repository and platform images of an index
 * follow what they belong to instead, and get no verdict here.
 */
function purgeVerdicts(
  manifests: readonly ListedManifest[],
  graph: ManifestGraph,
  rules: RegistryRetentionRules,
  now: Date,
): Map<string, Verdict> {
  const filter = new RegExp(`^(?:${rules.tagFilter})$`);
  const ageDays = (m: ListedManifest): number => (now.getTime() - Date.parse(m.lastUpdatedOn)) / dayMs;
  const verdicts = new Map<string, Verdict>();

  for (const m of manifests) {
    const subject = graph.subjectOf.get(m.digest);
    if (subject === undefined || graph.byDigest.has(subject)) continue;
    verdicts.set(
      m.digest,
      ageDays(m) > rules.untaggedDays
        ? remove(`attached to ${short(subject)}, which is gone, and older than ${rules.untaggedDays} days`)
        : keep(`attached to ${short(subject)}, which is gone, but ${rules.untaggedDays} days old or less`),
    );
  }

  const tagged = manifests.filter((m) => m.tags.length > 0 && !graph.subjectOf.has(m.digest));
  const matching: ListedManifest[] = [];
  for (const m of tagged) {
    const unmatched = m.tags.filter((t) => !filter.test(t));
    if (unmatched.length > 0)
      verdicts.set(m.digest, keep(`tag ${unmatched.join(', ')} does not match the filter`));
    else matching.push(m);
  }
  const newestFirst = [...matching].sort((a, b) => Date.parse(b.lastUpdatedOn) - Date.parse(a.lastUpdatedOn));
  newestFirst.forEach((m, i) => {
    if (i < rules.keep) verdicts.set(m.digest, keep(`among the newest ${rules.keep} tagged images`));
    else if (ageDays(m) <= rules.olderThanDays)
      verdicts.set(m.digest, keep(`updated within ${rules.olderThanDays} days`));
    else
      verdicts.set(
        m.digest,
        remove(`tagged, older than ${rules.olderThanDays} days and not among the newest ${rules.keep}`),
      );
  });

  for (const m of manifests) {
    if (m.tags.length > 0 || graph.parentsOf.has(m.digest) || graph.subjectOf.has(m.digest)) continue;
    verdicts.set(
      m.digest,
      ageDays(m) > rules.untaggedDays
        ? remove(`untagged for over ${rules.untaggedDays} days`)
        : keep(`untagged for ${rules.untaggedDays} days or less`),
    );
  }
  return verdicts;
}

/**
 * Spreads "needed" along the graph until nothing changes: a kept index needs its platform images,
 * a kept image its signatures, and a kept signature the image it signs.
 */
function keepWhatKeptManifestsNeed(graph: ManifestGraph, needed: Map<string, string[]>): void {
  const queue = [...needed.keys()];
  const mark = (digest: string, reason: string): void => {
    if (!graph.byDigest.has(digest) || needed.has(digest)) return;
    needed.set(digest, [reason]);
    queue.push(digest);
  };
  for (let digest = queue.shift(); digest !== undefined; digest = queue.shift()) {
    for (const child of graph.childrenOf.get(digest) ?? [])
      mark(child, `platform image of kept index ${short(digest)}`);
    for (const referrer of graph.referrersOf.get(digest) ?? [])
      mark(referrer, `attached to kept ${short(digest)}`);
    const subject = graph.subjectOf.get(digest);
    if (subject !== undefined) mark(subject, `signed or described by kept ${short(digest)}`);
  }
}

/** Why a platform image or signature nothing kept needs goes with what it belongs to. */
function followerVerdict(digest: string, graph: ManifestGraph): Verdict {
  const subject = graph.subjectOf.get(digest);
  if (subject !== undefined) return remove(`attached to deleted ${short(subject)}`);
  const parents = (graph.parentsOf.get(digest) ?? []).map(short).join(', ');
  return remove(`platform image of deleted index ${parents}, needed by nothing kept`);
}

function lockReasons(m: ListedManifest): string[] {
  const reasons: string[] = [];
  if (!m.canDelete) reasons.push('locked: deleteEnabled is false');
  if (!m.canWrite) reasons.push('locked: writeEnabled is false');
  if (m.lockedTags.length > 0) reasons.push(`locked tag ${m.lockedTags.join(', ')}`);
  return reasons;
}

/** Signatures go first, then indexes, then what they list, so nothing deleted is referred to by what is left to delete. */
function deletionOrder(m: ListedManifest, graph: ManifestGraph): number {
  if (graph.subjectOf.has(m.digest)) return 0;
  if (m.children.length > 0) return 1;
  return graph.parentsOf.has(m.digest) ? 3 : 2;
}

function describeManifest(repository: string, m: ListedManifest): string {
  const platform = m.architecture !== undefined ? `, ${m.os ?? 'unknown'}/${m.architecture}` : '';
  const kind = m.children.length > 0 ? `, index of ${m.children.length}` : '';
  const name = m.tags.length > 0 ? `${repository}:${m.tags.join(', ')}` : `${repository} (untagged)`;
  return `${name} (${short(m.digest)}${kind}${platform})`;
}

/** `sha256:` and the first 12 hex digits, as people read digests. */
function short(digest: string): string {
  return digest.slice(0, digest.indexOf(':') + 13);
}

const keep = (reason: string): Verdict => ({ action: 'keep', reasons: [reason] });
const remove = (reason: string): Verdict => ({ action: 'delete', reasons: [reason] });
