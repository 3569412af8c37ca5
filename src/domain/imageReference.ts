/** An image reference split into its parts; `registry` only when the reference names one. */
export interface ImageReferenceParts {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits `[registry/]repository[:tag][@digest]` as Docker does: the first component is a registry
 * when it has a dot or a port, or is `localhost`. App Service's `linuxFxVersion` and Shepherd's
 * known-good tags hold images this way.
 */
export function splitImageReference(reference: string): ImageReferenceParts {
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
  return {
    repository: tag === undefined ? rest : rest.slice(0, colon),
    ...(registry !== undefined ? { registry } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}
