import { z } from 'zod';
import { reasonText } from './fields';
import { parseWith, type ParseResult } from './parseResult';

/** The image a person asks to release, as named in the target's repository: by tag, digest or both. */
export type RequestedImage = { digest: string; tag?: string } | { tag: string; digest?: undefined };

/** A person's request to release an image to a target again (or for the first time). */
export interface ReleaseRequest {
  image: RequestedImage;
  reason: string;
}

/** The repository a target releases from, which the requested image must belong to. */
export interface FollowedRepository {
  loginServer: string;
  repository: string;
}

const digestPattern = /^sha256:[0-9a-f]{64}$/;
const digestProblem = 'expected "sha256:" followed by 64 lowercase hex digits';
// The OCI distribution spec's tag grammar.
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const tagProblem =
  'expected a tag of up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"';

const requiredText = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `expected ${what}`) });

/**
 * Reads `image` as the target's repository names it: a tag (`2.0.0`), a digest (`sha256:…`), or a
 * reference (`[registry/]repository:tag`, `[registry/]repository[:tag]@sha256:…`, e.g. the `image`
 * a release's status shows), whose registry and repository must be the target's own.
 */
function toRequestedImage(text: string, follows: FollowedRepository, ctx: z.RefinementCtx): RequestedImage {
  const fail = (message: string): RequestedImage => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (/^sha256:/i.test(text)) return digestPattern.test(text) ? { digest: text } : fail(digestProblem);
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const digest = at < 0 ? undefined : text.slice(at + 1);
  if (digest !== undefined && !digestPattern.test(digest)) return fail(`after "@": ${digestProblem}`);
  if (!name.includes('/') && !name.includes(':')) {
    if (digest !== undefined) return fail('expected a repository before "@"');
    return tagPattern.test(name) ? { tag: name } : fail(tagProblem);
  }
  const colon = name.lastIndexOf(':');
  const slash = name.lastIndexOf('/');
  const path = colon > slash ? name.slice(0, colon) : name;
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  if (tag !== undefined && !tagPattern.test(tag)) return fail(tagProblem);
  const [first = '', ...rest] = path.split('/');
  // A first part with a dot or a port, or localhost, is a registry host, as Docker reads references.
  const hasRegistry = rest.length > 0 && (/[.:]/.test(first) || first === 'localhost');
  const registry = hasRegistry ? first : undefined;
  const repository = hasRegistry ? rest.join('/') : path;
  if (registry !== undefined && registry.toLowerCase() !== follows.loginServer.toLowerCase())
    return fail(`names the registry ${registry}; this target releases from ${follows.loginServer}`);
  if (repository !== follows.repository)
    return fail(`names the repository ${repository}; this target releases from ${follows.repository}`);
  if (digest !== undefined) return tag === undefined ? { digest } : { tag, digest };
  return tag === undefined ? fail('expected a tag or a digest after the repository') : { tag };
}

/**
 * Validates the body of `POST /api/targets/{target}/releases`:
 * `{ "image": "<tag>" | "sha256:<digest>" | "<repository>:<tag>@sha256:<digest>", "reason": "…" }`.
 * Every problem is reported at once; unknown fields are refused, so a misspelt one cannot pass.
 */
export function parseReleaseRequest(body: unknown, follows: FollowedRepository): ParseResult<ReleaseRequest> {
  const schema = z
    .object({
      image: requiredText('a tag, a digest or a repository:tag@digest reference')
        .trim()
        .min(1, 'must not be empty')
        .transform((text, ctx) => toRequestedImage(text, follows, ctx)),
      reason: requiredText('a string saying why').pipe(reasonText),
    })
    .strict();
  return parseWith(schema, body);
}
