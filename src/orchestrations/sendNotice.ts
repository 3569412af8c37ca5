import type { OrchestrationContext } from 'durable-functions';
import { notifyPeopleActivity } from '../functionNames';
import { DurableWork, noticeRetry, StepFailed } from './durableSteps';
import type { Flow } from './durableSteps';
import type { SendNoticeInput } from './noticeModel';

/**
 * Sends one notice a trigger asked for, tried again with backoff as release notices are. Started with
 * an id made from what it tells, so a delivery repeated by Azure tells people once.
 */
export function* sendNotice(context: OrchestrationContext): Flow<'sent' | 'failed'> {
  const { to, notice } = context.df.getInput<SendNoticeInput>();
  try {
    yield* new DurableWork(context, context.df.instanceId).step(
      notifyPeopleActivity,
      { ...to, notice },
      noticeRetry,
    );
    return 'sent';
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    return 'failed';
  }
}
