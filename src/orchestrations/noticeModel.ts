import type { Notice } from '../activities/notifyPeople';

export const sendNoticeOrchestrator = 'sendNotice';

/** Who a notice goes to: a target's people, or those of environments (and of a budget's entry). */
export type NoticeRecipients = { target: string } | { environments: string[]; budget?: string };

/** A notice a trigger sends through durable work, so a slow webhook never holds the trigger up. */
export interface SendNoticeInput {
  to: NoticeRecipients;
  notice: Notice;
}
