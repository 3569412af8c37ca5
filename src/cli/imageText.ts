/** Hex digits of a digest people need to tell images apart, as `git` shortens commits. */
const shortDigest = 12;

/**
 * An image as a table shows it: without the registry's host name (the target's repository says it)
 * and with its digest cut to 12 hex digits: `contoso/web:2.0.0@sha256:a29620d37c2a`.
 * `--json` keeps the whole reference.
 */
export function shortImage(image: string): string {
  const [name = image, digest] = image.split('@');
  const firstSlash = name.indexOf('/');
  const host = firstSlash === -1 ? '' : name.slice(0, firstSlash);
  // A first part with a dot or a port, or localhost, names a registry rather than a repository.
  const path = /[.:]/.test(host) || host === 'localhost' ? name.slice(firstSlash + 1) : name;
  if (digest === undefined) return path;
  const [algorithm = '', hex = ''] = digest.split(':');
  return `${path}@${algorithm}:${hex.slice(0, shortDigest)}`;
}

/** An image as a cell: `unknown` when it could not be read, `(none)` when the slot runs no container image. */
export function imageCell(image: string | null | undefined): string {
  if (image === undefined) return 'unknown';
  return image === null ? '(none)' : shortImage(image);
}
