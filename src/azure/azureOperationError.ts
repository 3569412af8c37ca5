/**
 * An Azure call that failed, told so a person can act on it: what Shepherd was doing, the HTTP status
 * and Azure's error code when there were any, and Azure's own explanation. It keeps no request,
 * response, headers or cause, so no token, key or signed URL travels with it into logs or custom
 * status; URLs in Azure's text lose their query strings.
 */
export class AzureOperationError extends Error {
  override readonly name = 'AzureOperationError';

  constructor(
    /** What Shepherd was doing, e.g. `swap contoso-web/staging into production`. */
    readonly operation: string,
    /** The HTTP status Azure answered with; undefined when the failure was not an HTTP answer. */
    readonly status: number | undefined,
    /** Azure's error code, e.g. `ResourceNotFound` or `SwapFailed`. */
    readonly code: string | undefined,
    /** Azure's explanation, redacted. */
    readonly reason: string,
  ) {
    const what = [status, code].filter((part) => part !== undefined).join(' ');
    super(`${operation} failed${what === '' ? '' : ` (${what})`}: ${reason}`);
  }
}

/**
 * Runs one Azure call and turns whatever it throws into an AzureOperationError named after
 * `operation`. Adapters wrap every SDK call in it, so callers see one kind of error.
 */
export async function azureCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toAzureOperationError(operation, err);
  }
}

/** What core-lro throws when a long-running operation ends in failure: `…failed. {code}. {message}`. */
const failedOperation = /^The long-running operation has failed(?:\. ([^.\s]+)\. ([\s\S]*))?$/;

/** Maps an SDK failure (a RestError, a failed long-running operation, anything else) to an AzureOperationError. */
export function toAzureOperationError(operation: string, err: unknown): AzureOperationError {
  if (err instanceof AzureOperationError) return err;
  if (!(err instanceof Error)) return new AzureOperationError(operation, undefined, undefined, String(err));
  // RestErrors come from more than one copy of the HTTP runtime, so they are known by name, as the SDKs do.
  if (err.name === 'RestError') {
    const { statusCode, code } = err as Error & { statusCode?: unknown; code?: unknown };
    return new AzureOperationError(
      operation,
      typeof statusCode === 'number' ? statusCode : undefined,
      typeof code === 'string' ? code : undefined,
      redact(err.message),
    );
  }
  const lro = failedOperation.exec(err.message);
  if (lro) return new AzureOperationError(operation, undefined, lro[1], redact(lro[2] ?? err.message));
  return new AzureOperationError(
    operation,
    undefined,
    err.name === 'Error' ? undefined : err.name,
    redact(err.message),
  );
}

/** Drops query strings from URLs (where SAS signatures and codes live) and bearer tokens from text. */
export function redact(text: string): string {
  return text
    .replace(/(https?:\/\/[^\s?#"'<>]+)\?[^\s"'<>]*/gi, '$1?…')
    .replace(/\bBearer\s+[\w.~+/=-]+/gi, 'Bearer …');
}
