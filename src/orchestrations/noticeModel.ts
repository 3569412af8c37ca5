import type { Notice } from '../domain/notice';
import type { NoticeAddressee } from '../domain/noticeRecipients';

export const sendNoticeOrchestrator = 'sendNotice';

/** A notice a trigger sends through durable work, so a slow webhook never holds the trigger up. */
export interface SendNoticeInput {
  to: NoticeAddressee;
  notice: Notice;
}
