import { approvalEvent } from '../releaseModel';
import type { ApprovalAnswer } from '../releaseModel';
import type { Flow, ReleaseFlow } from './flow';
import { notify } from './notify';
import { minutes } from './phase';
import type { PhaseResult } from './phase';

/**
 * With `approval.required`, waits for a person's approval before any traffic moves, up to the
 * target's timeout, which may be days. No answer in time, or a rejection, ends the release with
 * nothing moved.
 */
export function* approval(flow: ReleaseFlow): Flow<PhaseResult> {
  const { input, target, status, context } = flow;
  if (input.kind !== 'push' || !target.approval.required) return undefined;
  flow.enter('awaitingApproval');
  yield* notify(flow);
  const answer = context.df.waitForExternalEvent(approvalEvent);
  const deadline = flow.now() + minutes(target.approval.timeoutMinutes);
  if ((yield* flow.eventUntil(answer, deadline)) === 'timeout')
    return { end: 'rejected', reason: `no one approved it within ${target.approval.timeoutMinutes} min` };
  const given = answer.result as ApprovalAnswer;
  status.approval = { ...given, at: flow.nowIso() };
  flow.publish();
  flow.audit({
    action: 'release.approval',
    by: { kind: 'person', name: given.by },
    outcome: given.approved ? 'approved' : 'rejected',
    detail: given.reason ?? '',
  });
  return given.approved
    ? undefined
    : { end: 'rejected', reason: `rejected by ${given.by}${given.reason ? `: ${given.reason}` : ''}` };
}
