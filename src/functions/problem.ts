import type { HttpResponseInit } from '@azure/functions';

/**
 * An RFC 9457 problem response (`application/problem+json`): use it for every error an HTTP trigger
 * answers. With the type `about:blank` the title should be the status's reason phrase
 * ("Bad Request"); what went wrong goes in `detail`, and `extra` carries extension members such as
 * `errors: Problem[]` on a 400.
 *
 * Everything passed here is sent to the caller. Pass only what is safe for anyone to read: never a
 * secret, key, token, connection string or header value, and no text from an exception you did
 * not write.
 */
export function problemResponse(
  status: number,
  title: string,
  detail?: string,
  extra?: Record<string, unknown>,
): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    jsonBody: { type: 'about:blank', title, status, ...(detail === undefined ? {} : { detail }), ...extra },
  };
}
