import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { BadContinuation } from '../azure/auditLog';
import type { AuditLog } from '../azure/auditLog';
import { parseAuditQuery } from './payloads/auditQuery';
import { problemResponse } from './problem';

/**
 * `GET /api/audit[?target=|secret=][&from=&to=][&top=][&continuation=]`: the audit trail, newest
 * first, one page at a time; `continuation` in the answer asks for the next page.
 */
export function readAudit(audit: AuditLog): HttpHandler {
  return async (req, context): Promise<HttpResponseInit> => {
    const parsed = parseAuditQuery(req.query);
    if (!parsed.ok)
      return problemResponse(400, 'Bad Request', 'The audit query is not valid.', {
        errors: parsed.problems,
      });
    try {
      return { status: 200, jsonBody: await audit.read(parsed.value) };
    } catch (err) {
      if (err instanceof BadContinuation)
        return problemResponse(400, 'Bad Request', 'The continuation is not one this audit trail gave.');
      // Adapter errors are AzureOperationErrors: free of keys, tokens and signed URLs.
      context.error(`reading the audit trail failed: ${err instanceof Error ? err.message : String(err)}`);
      return problemResponse(503, 'Service Unavailable', 'The audit trail could not be read; try again.');
    }
  };
}
