import { z } from 'zod';

/** Repository names as the Docker Registry API allows them: lower-case components joined by `/`. */
export const repositoryNameSchema = z
  .string()
  .max(256)
  .regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, {
    message: 'must be lower-case letters and digits, separated by ".", "_", "-" or "/"',
  });

/** Tags as the Docker Registry API allows them. */
export const tagSchema = z
  .string()
  .regex(/^[\w][\w.-]{0,127}$/, { message: 'must be up to 128 letters, digits, "_", "." or "-"' });

/** An image reference split into its parts; `registry` only when the reference names one. */
export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits `[registry/]repository[:tag][@digest]` the way Docker does: the first component is a
 * registry when it has a dot or a port, or is `localhost`.
 */
export function parseImageReference(reference: string): ImageReference {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  let rest = at >= 0 ? reference.slice(0, at) : reference;

  let registry: string | undefined;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(slash + 1);
  }

  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const repository = tag === undefined ? rest : rest.slice(0, colon);
  return {
    repository,
    ...(registry !== undefined ? { registry } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Parses the `repository:tag` of a push, naming what is wrong with it. */
export function parsePushReference(reference: string): { repository: string; tag: string } {
  const { registry, repository, tag, digest } = parseImageReference(reference);
  if (registry !== undefined || digest !== undefined)
    throw new Error(`"${reference}": push takes repository:tag, without a registry or digest`);
  const problems = [
    ...(repositoryNameSchema.safeParse(repository).error?.issues.map((i) => `repository ${i.message}`) ?? []),
    ...(tagSchema.safeParse(tag ?? 'latest').error?.issues.map((i) => `tag ${i.message}`) ?? []),
  ];
  if (problems.length > 0) throw new Error(`"${reference}": ${problems.join('; ')}`);
  return { repository, tag: tag ?? 'latest' };
}
