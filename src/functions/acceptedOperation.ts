import type { HttpResponseInit } from '@azure/functions';

/** What a client following a backup or restore is told to wait between looks, in seconds. */
const retryAfterSeconds = 10;

/** A target's backup or restore run as `GET /api/targets/{target}/operations/{id}` shows it. */
export function operationPath(target: string, id: string): string {
  return `/api/targets/${encodeURIComponent(target)}/operations/${encodeURIComponent(id)}`;
}

/**
 * Where to follow durable work started for a target, and when to look: `Location` on Shepherd's own
 * status route (behind the function key), never the durable extension's URLs, which carry its system key.
 */
export function followHeaders(target: string, id: string): Record<string, string> {
  return { location: operationPath(target, id), 'retry-after': String(retryAfterSeconds) };
}

/** The 202 for a backup or restore just started: its id, and where to follow it. */
export function acceptedOperation(target: string, id: string, kind: 'backup' | 'restore'): HttpResponseInit {
  return {
    status: 202,
    headers: followHeaders(target, id),
    jsonBody: { id, kind, target, statusUri: operationPath(target, id) },
  };
}
