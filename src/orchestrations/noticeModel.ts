import type { Notice } from '../domain/notice';
import type { NoticeAddressee } from '../domain/noticeRecipients';

/** A notice a trigger sends through durable work, so a slow webhook never holds the trigger up. */
export interface SendNoticeInput {
  to: NoticeAddressee;
  notice: Notice;
}
