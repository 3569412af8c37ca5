import type { FastifyReply, FastifyRequest } from 'fastify';

/** Error codes the registry answers with: Docker Registry V2 codes plus ACR's own. */
export type RegistryErrorCode =
  | 'NAME_UNKNOWN'
  | 'MANIFEST_UNKNOWN'
  | 'TAG_UNKNOWN'
  | 'NAME_INVALID'
  | 'TAG_INVALID'
  | 'MANIFEST_INVALID'
  | 'PAGINATION_NUMBER_INVALID'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED'
  | 'REGISTRY_DISALLOWED_OPERATION';

/** One entry of ACR's `{"errors":[…]}` body. */
export interface RegistryErrorEntry {
  code: RegistryErrorCode;
  message: string;
  detail: unknown;
}

/**
 * A refusal the registry answers in ACR's own error shape rather than the sandbox's ARM default.
 * Thrown by the store's rules and the routes' checks; the registry's error handler answers it.
 */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: RegistryErrorCode,
    message: string,
    readonly detail: unknown = {},
    /** Further problems with the same request, for a caller to fix at once. */
    readonly others: RegistryErrorEntry[] = [],
  ) {
    super(message);
  }

  toBody(): { errors: RegistryErrorEntry[] } {
    return { errors: [{ code: this.code, message: this.message, detail: this.detail }, ...this.others] };
  }
}

/** A 400 naming the first problem validation found in a request's `what` (form, body, query). */
export function invalidInput(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  what: string,
): RegistryError {
  const issue = issues[0];
  const field = issue?.path.map(String).join('.') || what;
  return new RegistryError(400, 'UNSUPPORTED', `invalid ${field}: ${issue?.message ?? 'unreadable'}`);
}

/** The 404s of a missing repository, manifest or tag, with ACR's codes and messages. */
export const notFound = {
  repository: (name: string): RegistryError =>
    new RegistryError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name }),
  manifest: (name: string, reference: string): RegistryError =>
    new RegistryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', { name, reference }),
  tag: (name: string, tag: string): RegistryError =>
    new RegistryError(404, 'TAG_UNKNOWN', 'the specified tag does not exist', { name, tag }),
};

/**
 * ACR refuses changes to locked repositories, manifests and tags with 405 and this code and message
 * (seen on the wire in Azure/acr-cli issue 70, for a tag delete with writeEnabled false).
 */
export function disallowed(): RegistryError {
  return new RegistryError(
    405,
    'REGISTRY_DISALLOWED_OPERATION',
    'The operation is disallowed on this registry, repository or image. View troubleshooting steps at https://aka.ms/acr/faq/#why-does-my-pull-or-push-request-fail-with-disallowed-operation',
  );
}

/** Sends `error` in ACR's shape. */
export function sendRegistryError(reply: FastifyReply, error: RegistryError): FastifyReply {
  return reply.code(error.status).send(error.toBody());
}

/**
 * The error handler of the registry's routes: RegistryErrors, and the framework's own refusals of a
 * request (a body that is not JSON), in ACR's shape; anything else goes on to the sandbox's handler.
 */
export function registryErrorHandler(error: Error, _req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RegistryError) return sendRegistryError(reply, error);
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return sendRegistryError(reply, new RegistryError(status, 'UNSUPPORTED', error.message));
  throw error;
}
