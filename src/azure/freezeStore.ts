import type { TableClient, TableEntity, TableEntityResult } from '@azure/data-tables';
import { z } from 'zod';
import { freezeSources, isFreezeActive } from '../domain/freeze';
import type { Freeze, FreezeScope } from '../domain/freeze';
import { actorName, auditActorKinds, toActor } from './auditEntity';
import { azureCall } from './azureOperationError';
import type { StateTable } from './stateTable';

/**
 * The freeze store: every freeze Shepherd's instances set, shared through one table. A freeze is
 * keyed by its scope (PartitionKey `environment:<name>` or `target:<name>`) and its cause (RowKey, the
 * freeze's id), so the same cause set twice (a budget alert delivered again, a flood of alerts) is one
 * freeze. A lifted freeze stays, marked lifted, so a release's status can still say a freeze began
 * while it ran. Writes that read first carry the row's ETag, so two instances never overwrite each other.
 */
export interface FreezeStore {
  /** Every freeze not lifted (some may have passed their `until`). */
  unlifted(): Promise<Freeze[]>;
  /** Every freeze, lifted or not. */
  all(): Promise<Freeze[]>;
  /**
   * Sets `freeze` unless one with its scope and id holds already (not lifted, `until` not passed), which stays as it is unless
   * `update` is given, which then changes it (its `since` kept). Answers the freeze that holds now.
   */
  begin(freeze: Freeze, update?: (held: Freeze) => Freeze): Promise<{ freeze: Freeze; began: boolean }>;
  /** Lifts the unlifted freeze of `scope` and `id`; undefined when there was none. */
  lift(scope: FreezeScope, id: string, lifted: NonNullable<Freeze['lifted']>): Promise<Freeze | undefined>;
  /**
   * Adds `alertId` to the target's alert freeze, setting it from `template` when none holds.
   * Answers the freeze and whether it began now.
   */
  holdForAlert(template: Freeze, alertId: string): Promise<{ freeze: Freeze; began: boolean }>;
  /**
   * Takes `alertId` off the target's alert freeze, lifting it when no alert is left. Answers the
   * freeze as it is now, and whether this lifted it; undefined when no alert freeze holds the target.
   */
  releaseAlert(
    target: string,
    alertId: string,
    lifted: NonNullable<Freeze['lifted']>,
  ): Promise<{ freeze: Freeze; lifted: boolean } | undefined>;
}

/** The id of a target's one alert freeze, however many alerts hold it. */
export const alertFreezeId = 'alert';

/** How often a write that lost a race to another instance reads again and retries. */
const maxRaces = 8;

interface FreezeProperties {
  scopeKind: string;
  scopeName: string;
  id: string;
  source: string;
  reason: string;
  byKind: string;
  by: string;
  since?: string;
  until?: string;
  releasesRunning: string;
  alerts?: string;
  active: boolean;
  liftedAt?: string;
  liftedByKind?: string;
  liftedBy?: string;
  liftReason?: string;
}

function keyPart(text: string): string {
  return encodeURIComponent(text);
}

function partitionOf(scope: FreezeScope): string {
  return `${scope.kind}:${keyPart(scope.name)}`;
}

function toEntity(freeze: Freeze): TableEntity<FreezeProperties> {
  return {
    partitionKey: partitionOf(freeze.scope),
    rowKey: keyPart(freeze.id),
    scopeKind: freeze.scope.kind,
    scopeName: freeze.scope.name,
    id: freeze.id,
    source: freeze.source,
    reason: freeze.reason,
    byKind: freeze.by.kind,
    by: actorName(freeze.by),
    ...(freeze.since === undefined ? {} : { since: freeze.since }),
    ...(freeze.until === undefined ? {} : { until: freeze.until }),
    releasesRunning: JSON.stringify(freeze.releasesRunning),
    ...(freeze.alerts === undefined ? {} : { alerts: JSON.stringify(freeze.alerts) }),
    active: freeze.lifted === undefined,
    ...(freeze.lifted === undefined
      ? {}
      : {
          liftedAt: freeze.lifted.at,
          liftedByKind: freeze.lifted.by.kind,
          liftedBy: actorName(freeze.lifted.by),
          liftReason: freeze.lifted.reason,
        }),
  };
}

const stringList = z.string().transform((text, ctx) => {
  const parsed = z.array(z.string()).safeParse(JSON.parse(text));
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: 'expected a JSON list of strings' });
  return z.NEVER;
});

const storedFreeze = z.object({
  scopeKind: z.enum(['environment', 'target']),
  scopeName: z.string(),
  id: z.string(),
  source: z.enum(freezeSources),
  reason: z.string(),
  byKind: z.enum(auditActorKinds),
  by: z.string(),
  since: z.string().optional(),
  until: z.string().optional(),
  releasesRunning: stringList,
  alerts: stringList.optional(),
  active: z.boolean(),
  liftedAt: z.string().optional(),
  liftedByKind: z.enum(auditActorKinds).optional(),
  liftedBy: z.string().optional(),
  liftReason: z.string().optional(),
});

function fromEntity(entity: object): Freeze | undefined {
  const parsed = storedFreeze.safeParse(entity);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  return {
    scope: { kind: e.scopeKind, name: e.scopeName },
    id: e.id,
    source: e.source,
    reason: e.reason,
    by: toActor(e.byKind, e.by),
    ...(e.since === undefined ? {} : { since: e.since }),
    ...(e.until === undefined ? {} : { until: e.until }),
    releasesRunning: e.releasesRunning,
    ...(e.alerts === undefined ? {} : { alerts: e.alerts }),
    ...(e.active
      ? {}
      : {
          lifted: {
            at: e.liftedAt ?? '',
            by: toActor(e.liftedByKind ?? 'shepherd', e.liftedBy ?? ''),
            reason: e.liftReason ?? '',
          },
        }),
  };
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** What `begin` and `holdForAlert` answer. */
type Began = { freeze: Freeze; began: boolean };

/** A row as read: the freeze it holds (undefined when this version cannot read it) and its ETag. */
type Stored = { freeze: Freeze | undefined; etag: string };

/** The freeze store in a Table storage table (Azurite locally). */
export class TableFreezeStore implements FreezeStore {
  constructor(private readonly table: StateTable) {}

  async unlifted(): Promise<Freeze[]> {
    return this.#list('active eq true');
  }

  async all(): Promise<Freeze[]> {
    return this.#list(undefined);
  }

  async begin(
    freeze: Freeze,
    update?: (held: Freeze) => Freeze,
  ): Promise<{ freeze: Freeze; began: boolean }> {
    return this.#change<Began>(
      freeze.scope,
      freeze.id,
      `set the freeze ${freeze.id} of ${freeze.scope.name}`,
      (held) => {
        // One lifted, or past its `until`, holds nothing: the new one begins afresh.
        if (held === undefined || !isFreezeActive(held, Date.now()))
          return { write: freeze, answer: { freeze, began: true } };
        if (update === undefined) return { answer: { freeze: held, began: false } };
        const changed = { ...update(held), ...(held.since === undefined ? {} : { since: held.since }) };
        return { write: changed, answer: { freeze: changed, began: false } };
      },
    );
  }

  async lift(
    scope: FreezeScope,
    id: string,
    lifted: NonNullable<Freeze['lifted']>,
  ): Promise<Freeze | undefined> {
    return this.#change(scope, id, `lift the freeze ${id} of ${scope.name}`, (held) => {
      if (held === undefined || held.lifted !== undefined) return { answer: undefined };
      const done = { ...held, lifted };
      return { write: done, answer: done };
    });
  }

  async holdForAlert(template: Freeze, alertId: string): Promise<{ freeze: Freeze; began: boolean }> {
    return this.#change<Began>(
      template.scope,
      alertFreezeId,
      `hold ${template.scope.name} for alert ${alertId}`,
      (held) => {
        if (held === undefined || held.lifted !== undefined) {
          const freeze = { ...template, id: alertFreezeId, alerts: [alertId] };
          return { write: freeze, answer: { freeze, began: true } };
        }
        const alerts = held.alerts ?? [];
        if (alerts.includes(alertId)) return { answer: { freeze: held, began: false } };
        const freeze = { ...held, alerts: [...alerts, alertId] };
        return { write: freeze, answer: { freeze, began: false } };
      },
    );
  }

  async releaseAlert(
    target: string,
    alertId: string,
    lifted: NonNullable<Freeze['lifted']>,
  ): Promise<{ freeze: Freeze; lifted: boolean } | undefined> {
    const scope: FreezeScope = { kind: 'target', name: target };
    return this.#change(scope, alertFreezeId, `release ${target} from alert ${alertId}`, (held) => {
      if (held === undefined || held.lifted !== undefined) return { answer: undefined };
      const alerts = (held.alerts ?? []).filter((a) => a !== alertId);
      if (alerts.length === (held.alerts ?? []).length) return { answer: { freeze: held, lifted: false } };
      const freeze: Freeze = alerts.length === 0 ? { ...held, alerts, lifted } : { ...held, alerts };
      return { write: freeze, answer: { freeze, lifted: alerts.length === 0 } };
    });
  }

  async #list(filter: string | undefined): Promise<Freeze[]> {
    const client = await this.table.client();
    return azureCall('read the freeze store', async () => {
      const freezes: Freeze[] = [];
      const entities = client.listEntities(filter === undefined ? {} : { queryOptions: { filter } });
      for await (const entity of entities) {
        const freeze = fromEntity(entity);
        if (freeze !== undefined) freezes.push(freeze);
      }
      return freezes;
    });
  }

  /**
   * Reads the row of `scope` and `id`, lets `decide` say what to write and answer, and writes it only
   * if nobody changed the row since it was read; a lost race reads again.
   */
  async #change<T>(
    scope: FreezeScope,
    id: string,
    what: string,
    decide: (held: Freeze | undefined) => { write?: Freeze; answer: T },
  ): Promise<T> {
    const client = await this.table.client();
    return azureCall(what, async () => {
      for (let race = 0; ; race++) {
        const stored = await read(client, scope, id);
        const { write, answer } = decide(stored?.freeze);
        if (write === undefined) return answer;
        try {
          if (stored === undefined) await client.createEntity(toEntity(write));
          else await client.updateEntity(toEntity(write), 'Replace', { etag: stored.etag });
          return answer;
        } catch (err) {
          // 409: created meanwhile; 412: changed meanwhile. Either way, read again and decide again.
          const status = statusOf(err);
          if ((status !== 409 && status !== 412) || race >= maxRaces) throw err;
        }
      }
    });
  }
}

async function read(client: TableClient, scope: FreezeScope, id: string): Promise<Stored | undefined> {
  let entity: TableEntityResult<Record<string, unknown>>;
  try {
    entity = await client.getEntity(partitionOf(scope), keyPart(id));
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
  // A row this version cannot read is replaced as if absent, under its ETag all the same.
  return { freeze: fromEntity(entity), etag: entity.etag };
}
