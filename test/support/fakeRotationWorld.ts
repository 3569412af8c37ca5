import type { AuditEntry } from '../../src/domain/auditEntry';
import type { ConsumerLook } from '../../src/domain/consumerCheck';
import type { SecretState } from '../../src/activities/inspectSecret';
import type { Notice } from '../../src/domain/notice';
import type { SecretConsumer } from '../../src/orchestrations/rotationModel';
import type { ActivityFake } from './durableReplay';

/** One version of the managed secret: which role its value logs in as, and when it was written. */
interface Version {
  id: string;
  role: string | undefined;
  createdOn: string;
  /** The version whose value this one copies back, for a restore. */
  restores?: string;
}

/** One consumer's app: the version each slot's reference resolved to, and the role its sessions use. */
interface App {
  references: Map<string, string | null>;
  role: string | undefined;
}

/**
 * A rotation's world as a test controls it: a Key Vault secret's versions, two PostgreSQL roles and
 * their sessions, and the consumers' apps, whose references resolve to a version and whose sessions
 * follow the role of the value they hold. Scripted: consumers that cannot work with a new value,
 * sessions that linger on a role, failing calls.
 */
export class FakeRotationWorld implements ActivityFake {
  readonly versions: Version[] = [];
  /** Sessions on a role that belong to no consumer (a person's psql, say). */
  readonly strangers = new Map<string, number>();
  readonly apps = new Map<string, App>();
  /** Consumers whose app answers unhealthy on any value written after the first. */
  readonly cannotUseNew = new Set<string>();
  readonly passwordsChanged: string[] = [];
  /** What changed, in order: `password <role>`, `switch <target>`. */
  readonly changes: string[] = [];
  readonly notices: Notice[] = [];
  readonly audit: AuditEntry[] = [];
  readonly calls: string[] = [];
  /** Rotations of the same secret, created before the replayed one, that still run. */
  readonly earlierRunning: string[] = [];
  #failures = new Map<string, number>();
  #failuresAfterActing = new Map<string, number>();
  #next = 0;

  constructor(
    private readonly now: () => number,
    consumers: readonly SecretConsumer[],
    start: { role?: string } = {},
  ) {
    const first = this.#write(start.role);
    for (const consumer of consumers)
      this.apps.set(consumer.target, {
        references: new Map(consumer.slots.map((slot) => [slot, first.id])),
        role: start.role,
      });
  }

  /**
   * Makes `target` a consumer left behind by an earlier rotation: its app still holds a value of
   * `role` from a version older than the current one.
   */
  lagBehind(target: string, role: string): void {
    const app = this.apps.get(target);
    if (!app) throw new Error(`no consumer ${target}`);
    app.role = role;
    for (const slot of app.references.keys()) app.references.set(slot, 'v0');
  }

  current(): Version | undefined {
    return this.versions.at(-1);
  }

  /** The next `times` calls of `activity` are refused by Azure with a 503. */
  failNext(activity: string, times = 1): void {
    this.#failures.set(activity, (this.#failures.get(activity) ?? 0) + times);
  }

  /** The next `times` calls of `activity` act, then fail as if they had timed out. */
  failAfterActing(activity: string, times = 1): void {
    this.#failuresAfterActing.set(activity, (this.#failuresAfterActing.get(activity) ?? 0) + times);
  }

  held(): number {
    return 0;
  }

  /** Sessions on `role`: the consumers' apps that use it, and strangers. */
  sessionsOn(role: string): number {
    const apps = [...this.apps.values()].filter((app) => app.role === role).length;
    return apps + (this.strangers.get(role) ?? 0);
  }

  run(name: string, input: Record<string, unknown>): Promise<unknown> {
    this.calls.push(name);
    const failures = this.#failures.get(name) ?? 0;
    if (failures > 0) {
      this.#failures.set(name, failures - 1);
      return Promise.resolve({ ok: false, status: 503, reason: `${name} was refused (503)` });
    }
    const value = this.#act(name, input);
    const afterActing = this.#failuresAfterActing.get(name) ?? 0;
    if (afterActing > 0) {
      this.#failuresAfterActing.set(name, afterActing - 1);
      return Promise.reject(new Error(`${name} timed out after it acted`));
    }
    return Promise.resolve({ ok: true, value });
  }

  #act(name: string, input: Record<string, unknown>): unknown {
    const consumer = input.consumer as SecretConsumer | undefined;
    switch (name) {
      case 'earlierRotations':
        return this.earlierRunning;
      case 'inspectSecret': {
        const current = this.current();
        return {
          version: current?.id ?? null,
          ...(current ? { createdOn: current.createdOn } : {}),
          ...(current?.role === undefined ? {} : { role: current.role }),
          told: [],
        } satisfies SecretState;
      }
      case 'roleSessions':
        return { sessions: this.sessionsOn(String(input.role)) };
      case 'writeSecretValue': {
        const role = input.role as string | undefined;
        if (role !== undefined) {
          this.passwordsChanged.push(role);
          this.changes.push(`password ${role}`);
        }
        return { version: this.#write(role).id };
      }
      case 'restoreSecretVersion': {
        const earlier = this.versions.find((v) => v.id === input.version);
        if (!earlier) throw new Error(`no version ${String(input.version)}`);
        return { version: this.#write((input.role as string | undefined) ?? earlier.role, earlier.id).id };
      }
      case 'switchConsumer':
        if (consumer) this.#switch(consumer);
        return undefined;
      case 'lookAtConsumer':
        return consumer ? this.#look(consumer, input.role as string | undefined) : undefined;
      case 'notifyPeople':
        this.notices.push(input.notice as Notice);
        return undefined;
      case 'recordAudit':
        this.audit.push(...(input as unknown as AuditEntry[]));
        return undefined;
      default:
        throw new Error(`The fake has no activity ${name}.`);
    }
  }

  #write(role: string | undefined, restores?: string): Version {
    const version: Version = {
      id: `v${++this.#next}`,
      role,
      createdOn: new Date(this.now()).toISOString(),
      ...(restores ? { restores } : {}),
    };
    this.versions.push(version);
    return version;
  }

  #switch(consumer: SecretConsumer): void {
    const app = this.apps.get(consumer.target);
    const current = this.current();
    if (!app || !current) return;
    this.changes.push(`switch ${consumer.target}`);
    for (const slot of app.references.keys()) app.references.set(slot, current.id);
    // An app that cannot log in with the new value has no session at all.
    app.role = this.#usesNew(current.id) && this.cannotUseNew.has(consumer.target) ? undefined : current.role;
  }

  /** Whether `versionId` holds a value written after the first, rather than the first put back. */
  #usesNew(versionId: string | null): boolean {
    const value = this.versions.find((v) => v.id === versionId);
    return value !== undefined && (value.restores ?? value.id) !== this.versions[0]?.id;
  }

  #look(consumer: SecretConsumer, role: string | undefined): ConsumerLook {
    const app = this.apps.get(consumer.target);
    const healthy = !(
      this.cannotUseNew.has(consumer.target) && this.#usesNew(app?.references.get('production') ?? null)
    );
    return {
      references: [...(app?.references ?? new Map<string, string | null>())].map(([slot, activeVersion]) => ({
        slot,
        status: 'Resolved',
        activeVersion,
      })),
      healthy,
      healthDetail: healthy ? '/health answered 200' : '/health answered 500',
      ...(role === undefined ? {} : { roleSessions: this.sessionsOn(role) }),
    };
  }
}
