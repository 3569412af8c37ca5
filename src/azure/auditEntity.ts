import type { TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import { auditActions, auditOperationKinds, auditOutcomes, auditSubjectKinds } from '../domain/auditEntry';
import type { AuditActor, AuditEntry, AuditSubject } from '../domain/auditEntry';
import { sdk } from './sdk';

/*
 * How audit entries are keyed. Table storage sorts only by PartitionKey, then RowKey, and answers a
 * query within one partition in that order, a page at a time. So each entry is written twice:
 *
 * - into its subject's partition (`target:<name>`, `secret:<name>`, `environment:<name>`,
 *   `budget:<name>`), for "this target's trail";
 * - into the one partition `all`, for "everything", which a query across partitions could not give
 *   newest first without reading every partition.
 *
 * In both the RowKey is `<inverted time>_<id>`: the milliseconds left until 9999999999999 (the year
 * 2286), 13 digits, so that newer entries sort first, then the writer's id, so that the same entry
 * written again replaces itself. A time range is a RowKey range, and the next page starts after the
 * last RowKey read: every query reads one partition, in order, from where it stopped. Shepherd
 * writes a few entries a minute, far below the 2,000 entities a second one partition takes.
 */

/** The partition holding every entry, whatever its subject. */
export const everythingPartition = 'all';

const latestMs = 9_999_999_999_999;

/** Key characters Table storage refuses (`/ \ # ?` and control characters) are percent-encoded. */
function keyPart(text: string): string {
  return encodeURIComponent(text);
}

/** The partition of `subject`'s entries. */
export function subjectPartition(subject: AuditSubject): string {
  return `${subject.kind}:${keyPart(subject.name)}`;
}

/** The milliseconds `ms` as a RowKey prefix that sorts newer times first. */
export function invertedTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > latestMs) throw new RangeError(`no audit time ${ms}`);
  return String(latestMs - ms).padStart(13, '0');
}

/** The RowKey of `entry`, the same each time it is written. */
export function auditRowKey(entry: Pick<AuditEntry, 'at' | 'id'>): string {
  return `${invertedTime(Date.parse(entry.at))}_${keyPart(entry.id)}`;
}

/** The OData filter of a query of `partition`, from `from` (inclusive) to `to` (exclusive), after `afterRowKey`. */
export function auditFilter(
  partition: string,
  range: { from?: number | undefined; to?: number | undefined; afterRowKey?: string | undefined },
): string {
  const { odata } = sdk('@azure/data-tables');
  const clauses = [odata`PartitionKey eq ${partition}`];
  // An entry at `to` - 1 ms has the smallest RowKey allowed; one at `from` has the largest.
  if (range.to !== undefined) clauses.push(odata`RowKey ge ${invertedTime(Math.max(0, range.to - 1))}`);
  if (range.from !== undefined && range.from > 0)
    clauses.push(odata`RowKey lt ${invertedTime(range.from - 1)}`);
  if (range.afterRowKey !== undefined) clauses.push(odata`RowKey gt ${range.afterRowKey}`);
  return clauses.join(' and ');
}

/** An audit query's continuation: the last RowKey a page read, base64url-encoded. */
export function toContinuation(rowKey: string): string {
  return Buffer.from(rowKey, 'utf8').toString('base64url');
}

/** The RowKey a continuation names, or undefined when it is not one this adapter made. */
export function fromContinuation(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(token)) return undefined;
  const rowKey = Buffer.from(token, 'base64url').toString('utf8');
  return /^\d{13}_[A-Za-z0-9%._~!*'()-]+$/.test(rowKey) ? rowKey : undefined;
}

/** What an entry is stored as: flat string properties beside its keys. */
interface AuditProperties {
  id: string;
  at: string;
  action: string;
  subjectKind: string;
  subject: string;
  byKind: string;
  by: string;
  outcome: string;
  detail: string;
  operationKind?: string;
  operationId?: string;
}

/** `entry` as the entity stored in `partition`. */
export function toAuditEntity(entry: AuditEntry, partition: string): TableEntity<AuditProperties> {
  return {
    partitionKey: partition,
    rowKey: auditRowKey(entry),
    id: entry.id,
    at: new Date(entry.at).toISOString(),
    action: entry.action,
    subjectKind: entry.subject.kind,
    subject: entry.subject.name,
    byKind: entry.by.kind,
    by: actorName(entry.by),
    outcome: entry.outcome,
    detail: entry.detail,
    ...(entry.operation === undefined
      ? {}
      : { operationKind: entry.operation.kind, operationId: entry.operation.id }),
  };
}

/** The name an actor is stored under beside its kind. */
export function actorName(actor: AuditActor): string {
  switch (actor.kind) {
    case 'person':
    case 'schedule':
      return actor.name;
    case 'alert':
      return actor.rule;
    case 'push':
      return actor.image;
    case 'shepherd':
      return '';
  }
}

/** Every kind of actor an entry or a freeze names. */
export const auditActorKinds = ['person', 'alert', 'schedule', 'push', 'shepherd'] as const;

const storedEntry = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  action: z.enum(auditActions),
  subjectKind: z.enum(auditSubjectKinds),
  subject: z.string(),
  byKind: z.enum(auditActorKinds),
  by: z.string(),
  outcome: z.enum(auditOutcomes),
  detail: z.string(),
  operationKind: z.enum(auditOperationKinds).optional(),
  operationId: z.string().optional(),
});

/** The entry a stored entity holds, or undefined when it holds none this version of Shepherd reads. */
export function fromAuditEntity(entity: object): AuditEntry | undefined {
  const parsed = storedEntry.safeParse(entity);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  return {
    id: e.id,
    at: e.at,
    action: e.action,
    subject: { kind: e.subjectKind, name: e.subject },
    by: toActor(e.byKind, e.by),
    outcome: e.outcome,
    detail: e.detail,
    ...(e.operationKind === undefined || e.operationId === undefined
      ? {}
      : { operation: { kind: e.operationKind, id: e.operationId } }),
  };
}

/** The actor a stored kind and name make. */
export function toActor(kind: AuditActor['kind'], name: string): AuditActor {
  switch (kind) {
    case 'person':
    case 'schedule':
      return { kind, name };
    case 'alert':
      return { kind, rule: name };
    case 'push':
      return { kind, image: name };
    case 'shepherd':
      return { kind };
  }
}
