import type { AuditLog } from '../azure/auditLog';
import type { AuditEntry } from '../domain/auditEntry';

/**
 * Writes entries of the audit trail. Each entry's key comes from its id and time, so running it
 * again (a retry after a timeout) leaves each entry once. Orchestrations call it best effort: a
 * failure is logged (by `azureStep`) and never changes the work the entries record.
 */
export function recordAudit(audit: AuditLog): (entries: AuditEntry[]) => Promise<void> {
  return (entries) => audit.record(entries);
}
