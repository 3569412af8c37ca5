import type { BudgetKind } from '../config';
import type { BudgetAlert } from '../domain/budgetAlert';
import type { AppToStop } from '../domain/appsToStop';

/** Raised on a budget response when a person lifts its freeze early: it starts the apps it stopped too. */
export const budgetLiftedEvent = 'budgetFreezeLifted';

/** Who lifted a budget's freeze of an environment early, as the lifting route raises it with `budgetLiftedEvent`. */
export interface LiftedEarly {
  environment: string;
  by: string;
  reason: string;
}

/** What a budget alert said, in numbers: nothing in it is secret. */
export type BudgetFigures = Pick<
  BudgetAlert,
  'budgetName' | 'kind' | 'thresholdPercent' | 'budgetAmount' | 'spent' | 'forecast' | 'currency'
>;

/** One budget threshold crossed, for one period: what Shepherd does about it. */
export interface BudgetResponseInput {
  /** Same budget, threshold, kind and period → the same key, which is also the instance id. */
  key: string;
  figures: BudgetFigures;
  /** The environments the budget pays for. */
  environments: string[];
  /** The budget's entry in the targets file (its name or index), whose own webhooks are told too. */
  budgetEntry: string;
  /** The settings' threshold that decided the actions. */
  threshold: { percent: number; kind: BudgetKind };
  actions: { freeze: boolean; stopNonProduction: boolean };
  /** The budget's period the alert belongs to; its end is when the budget resets. */
  period: { start: string; end: string };
  /** The non-production sites the critical threshold stops (none unless it is reached). */
  stop: AppToStop[];
}

/** A slot a budget response stopped, started again when the freeze lifts. */
export interface StoppedSlot {
  target: string;
  site: AppToStop['site'];
  slot: string;
  environments: string[];
}

/** What a budget response's custom status shows. */
export interface BudgetResponseStatus {
  phase: 'acting' | 'holding' | 'lifting' | 'done';
  budget: string;
  threshold: string;
  /** The freeze of the budget's period it sets or finds set: a person lifting it ends the hold. */
  freezeId: string;
  frozen: string[];
  stopped: string[];
  /** What could not be done, for people to finish by hand. */
  problems: string[];
  /** When the budget resets and the freeze lifts. */
  until: string;
  lifted?: { at: string; by: string; reason: string };
}
