import type { AuditEntry, AuditSubject } from '../domain/auditEntry';
import {
  auditFilter,
  everythingPartition,
  fromAuditEntity,
  fromContinuation,
  subjectPartition,
  toAuditEntity,
  toContinuation,
} from './auditEntity';
import { azureCall } from './azureOperationError';
import type { StateTable } from './stateTable';

/** Which entries to read: one subject's or everyone's, within a time range, a page at a time. */
export interface AuditQuery {
  subject?: AuditSubject | undefined;
  /** Epoch milliseconds, inclusive. */
  from?: number | undefined;
  /** Epoch milliseconds, exclusive. */
  to?: number | undefined;
  /** How many entries at most. */
  top: number;
  /** Where the previous page stopped (`AuditPage.continuation`). */
  continuation?: string | undefined;
}

/** Entries newest first, and where to carry on when there are more. */
export interface AuditPage {
  entries: AuditEntry[];
  continuation?: string;
}

/** Thrown when a query's continuation is not one `read` made. */
export class BadContinuation extends Error {
  constructor() {
    super('The continuation is not one this audit trail gave.');
  }
}

/** The audit trail: what Shepherd did, who or what asked, and how it came out. */
export interface AuditLog {
  /** Records `entries`; an entry written again (same id and time) replaces itself. */
  record(entries: AuditEntry[]): Promise<void>;
  /** Entries newest first, as `query` narrows them. */
  read(query: AuditQuery): Promise<AuditPage>;
}

/** The audit trail in a Table storage table; see `auditEntity.ts` for how entries are keyed. */
export class TableAuditLog implements AuditLog {
  constructor(private readonly table: StateTable) {}

  async record(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const what = `record ${entries.length} audit ${entries.length === 1 ? 'entry' : 'entries'} (${entries.map((e) => e.id).join(', ')})`;
    const client = await this.table.client();
    // Every write replaces what the same keys held, so a write repeated after a partial failure ends alike.
    await azureCall(what, () =>
      Promise.all(
        entries.flatMap((entry) =>
          [subjectPartition(entry.subject), everythingPartition].map((partition) =>
            client.upsertEntity(toAuditEntity(entry, partition), 'Replace'),
          ),
        ),
      ),
    );
  }

  async read(query: AuditQuery): Promise<AuditPage> {
    const afterRowKey = query.continuation === undefined ? undefined : fromContinuation(query.continuation);
    if (query.continuation !== undefined && afterRowKey === undefined) throw new BadContinuation();
    const partition = query.subject === undefined ? everythingPartition : subjectPartition(query.subject);
    const filter = auditFilter(partition, { from: query.from, to: query.to, afterRowKey });
    const client = await this.table.client();
    return azureCall(`read the audit trail of ${partition}`, async () => {
      // One more than asked for tells whether another page follows. The service may answer a page
      // short (it stops at five seconds, or at a partition server's edge), so pages are read on.
      const rows: { rowKey: string; entry: AuditEntry | undefined }[] = [];
      const pages = client.listEntities({ queryOptions: { filter } }).byPage({ maxPageSize: query.top + 1 });
      for await (const page of pages) {
        for (const entity of page) rows.push({ rowKey: entity.rowKey ?? '', entry: fromAuditEntity(entity) });
        if (rows.length > query.top) break;
      }
      const shown = rows.slice(0, query.top);
      const last = shown.at(-1);
      return {
        entries: shown.flatMap((r) => (r.entry === undefined ? [] : [r.entry])),
        ...(rows.length > query.top && last !== undefined
          ? { continuation: toContinuation(last.rowKey) }
          : {}),
      };
    });
  }
}
