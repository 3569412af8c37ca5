/**
 * The images a target is known to run well, kept as tags on its App Service site so they live with
 * the app (visible in the portal and `az webapp show`) and outlive Shepherd's own history.
 */
export interface KnownGood {
  /** The image that last passed a whole release (or was put back by a rollback). */
  latest?: string;
  /** What production ran before `latest`, which served well until then. */
  before?: string;
}

/** Tag names: Azure allows letters, digits, dots and dashes among others, but not `/`. */
export const knownGoodTags = { latest: 'shepherd.known-good', before: 'shepherd.known-good-before' } as const;
/** Azure caps a tag value at 256 characters. */
const maxTagValue = 256;

/** Reads the record from a site's tags; empty or missing tags mean nothing is known. */
export function knownGoodFromTags(tags: Record<string, string> | undefined): KnownGood {
  const latest = tags?.[knownGoodTags.latest];
  const before = tags?.[knownGoodTags.before];
  return { ...(latest ? { latest } : {}), ...(before ? { before } : {}) };
}

/** The tags that record `record`; an empty value clears what is no longer known. */
export function knownGoodToTags(record: KnownGood): Record<string, string> {
  return {
    [knownGoodTags.latest]: tagValueOf(record.latest),
    [knownGoodTags.before]: tagValueOf(record.before),
  };
}

/**
 * An image as a tag value. Too long for a tag, it is kept by digest alone (`registry/repo@sha256:…`,
 * which names the same image); still too long, it cannot be recorded.
 */
function tagValueOf(image: string | undefined): string {
  if (image === undefined || image.length <= maxTagValue) return image ?? '';
  const byDigest = image.replace(/:[^/@]+@/, '@');
  return byDigest.length <= maxTagValue ? byDigest : '';
}

/**
 * What is known good after a release of `image` succeeded, production having run `previous` until
 * then. Releasing the image production already ran keeps the older record of what came before.
 */
export function afterSuccessfulRelease(record: KnownGood, image: string, previous: string | null): KnownGood {
  const before = previous !== null && previous !== image ? previous : record.before;
  return { latest: image, ...(before !== undefined && before !== image ? { before } : {}) };
}

/**
 * What is known good after a rollback put `image` back: the image it replaced is not, and what came
 * before `image` is not known.
 */
export function afterRollback(image: string): KnownGood {
  return { latest: image };
}

/** Which image a rollback puts back, when no release is running to abort. */
export type RollbackChoice = { image: string } | { nothing: string };

/**
 * A rollback with no release running puts back the newest known-good image that production does not
 * already run: `latest` when production runs something else (an image deployed outside Shepherd, say),
 * else the one before it (the last release is the one a person wants undone).
 */
export function chooseRollbackImage(record: KnownGood, production: string | null): RollbackChoice {
  if (record.latest === undefined)
    return { nothing: 'no image is recorded as known good yet: no release has succeeded' };
  if (production !== record.latest) return { image: record.latest };
  if (record.before !== undefined && record.before !== production) return { image: record.before };
  return { nothing: `production already runs ${record.latest}, and no older known-good image is recorded` };
}
