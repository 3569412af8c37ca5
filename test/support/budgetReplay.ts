import { VirtualClock } from '../../dev/host/clock';
import type { AuditEntry } from '../../src/domain/auditEntry';
import type { Freeze, FreezeScope } from '../../src/domain/freeze';
import type { Notice } from '../../src/domain/notice';
import { budgetResponse } from '../../src/orchestrations/budgetResponse';
import { budgetResponseOrchestrator } from '../../src/functionNames';
import type { BudgetResponseInput, BudgetResponseStatus } from '../../src/orchestrations/budgetModel';
import type { ActivityFake } from './durableReplay';
import { DurableReplay, registerForReplay } from './durableReplay';

const budgetActivities = [
  'setFreezes',
  'liftFreezes',
  'readAppStates',
  'setAppState',
  'notifyPeople',
  'recordAudit',
];

/** What a budget response acts on: the freeze store, the sites' slots, and who was told what. */
export class FakeBudgetWorld implements ActivityFake {
  /** Freezes by `<scope kind>:<scope name>/<id>`. */
  readonly freezes = new Map<string, Freeze>();
  /** Slot states by `<site>/<slot>`. */
  readonly slots = new Map<string, string>();
  readonly notices: { to: Record<string, unknown>; notice: Notice }[] = [];
  readonly audit: AuditEntry[] = [];
  /** What changed, in order: `freeze <env>`, `lift <env>`, `stop <site>/<slot>`, `start <site>/<slot>`. */
  readonly changes: string[] = [];
  #failures = new Map<string, number>();
  /** Activities whose next call waits until its gate opens, and how many calls wait now. */
  #gates = new Map<string, Promise<void>>();
  #held = 0;

  constructor(sites: Record<string, Record<string, string>>) {
    for (const [site, slots] of Object.entries(sites))
      for (const [slot, state] of Object.entries(slots)) this.slots.set(`${site}/${slot}`, state);
  }

  /** The next `times` calls of `activity` are refused by Azure with `status`. */
  failNext(activity: string, times: number): void {
    this.#failures.set(activity, times);
  }

  /** Holds the next call of `activity` in flight; the function returned lets it finish. */
  holdNext(activity: string): () => void {
    let release: () => void = () => undefined;
    this.#gates.set(activity, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      release();
    };
  }

  held(): number {
    return this.#held;
  }

  frozen(): string[] {
    return [...this.freezes.values()].filter((f) => f.lifted === undefined).map((f) => f.scope.name);
  }

  run(name: string, input: Record<string, unknown>): Promise<unknown> {
    const left = this.#failures.get(name) ?? 0;
    if (left > 0) {
      this.#failures.set(name, left - 1);
      return Promise.resolve({ ok: false, status: 503, reason: `${name} refused (503)` });
    }
    const gate = this.#gates.get(name);
    if (gate === undefined) return Promise.resolve(this.#act(name, input));
    this.#gates.delete(name);
    this.#held += 1;
    return gate.then(() => {
      this.#held -= 1;
      return this.#act(name, input);
    });
  }

  #act(name: string, input: Record<string, unknown>): unknown {
    const key = (scope: FreezeScope, id: string): string => `${scope.kind}:${scope.name}/${id}`;
    switch (name) {
      case 'setFreezes': {
        const freezes = input.freezes as Freeze[];
        return {
          ok: true,
          value: freezes.map((freeze) => {
            const held = this.freezes.get(key(freeze.scope, freeze.id));
            if (held !== undefined && held.lifted === undefined) return { freeze: held, began: false };
            this.freezes.set(key(freeze.scope, freeze.id), freeze);
            this.changes.push(`freeze ${freeze.scope.name}`);
            return { freeze, began: true };
          }),
        };
      }
      case 'liftFreezes': {
        const lifted: Freeze[] = [];
        for (const { scope, id } of input.freezes as { scope: FreezeScope; id: string }[]) {
          const held = this.freezes.get(key(scope, id));
          if (held === undefined || held.lifted !== undefined) continue;
          const done = { ...held, lifted: input.lifted as NonNullable<Freeze['lifted']> };
          this.freezes.set(key(scope, id), done);
          this.changes.push(`lift ${scope.name}`);
          lifted.push(done);
        }
        return { ok: true, value: lifted };
      }
      case 'readAppStates': {
        const site = (input.site as { name: string }).name;
        const states = [...this.slots.entries()]
          .filter(([k]) => k.startsWith(`${site}/`))
          .map(([k, state]) => ({ slot: k.slice(site.length + 1), state }));
        return { ok: true, value: states };
      }
      case 'setAppState': {
        const slot = `${(input.site as { name: string }).name}/${input.slot as string}`;
        const state = input.state as string;
        this.slots.set(slot, state);
        this.changes.push(`${state === 'Stopped' ? 'stop' : 'start'} ${slot}`);
        return { ok: true, value: undefined };
      }
      case 'notifyPeople': {
        const { notice, ...to } = input;
        this.notices.push({ to, notice: notice as Notice });
        return { ok: true, value: undefined };
      }
      case 'recordAudit':
        this.audit.push(...(input as unknown as AuditEntry[]));
        return { ok: true, value: undefined };
      default:
        throw new Error(`The budget replay has no activity ${name}.`);
    }
  }
}

/** A budget threshold crossed: 100% actual of a 1,000 USD monthly budget for `dev` and `prod`. */
export function budgetInput(overrides: Partial<BudgetResponseInput> = {}): BudgetResponseInput {
  return {
    key: 'team-budget:actual:100:2026-11-01',
    figures: {
      budgetName: 'team-budget',
      kind: 'actual',
      thresholdPercent: 100,
      budgetAmount: 1000,
      spent: 1012.5,
      currency: 'USD',
    },
    environments: ['dev', 'prod'],
    budgetEntry: 'team-budget',
    threshold: { percent: 100, kind: 'actual' },
    actions: { freeze: true, stopNonProduction: false },
    period: { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
    stop: [],
    ...overrides,
  };
}

/** The real `budgetResponse` orchestrator replayed on a virtual clock against a `FakeBudgetWorld`. */
export class BudgetReplay extends DurableReplay<FakeBudgetWorld> {
  constructor(world: FakeBudgetWorld, start = '2026-11-20T08:00:00Z') {
    super(
      registerForReplay(budgetResponseOrchestrator, budgetResponse, budgetActivities),
      world,
      new VirtualClock(Date.parse(start)),
    );
  }

  async begin(input: BudgetResponseInput): Promise<string> {
    return this.startInstance(budgetResponseOrchestrator, `budget:${input.key}`, input);
  }

  status(id: string): BudgetResponseStatus {
    return this.customStatus(id) as BudgetResponseStatus;
  }
}
