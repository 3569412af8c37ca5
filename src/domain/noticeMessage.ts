import type { NoticeFormat } from '../config';
import type { Notice } from './notice';
import { slackMessage } from './slackMessage';
import { teamsMessage } from './teamsMessage';

/**
 * The body a webhook of the given format is sent for a notice: the notice itself as JSON (its
 * `text`, `urgent` and every other field, as Shepherd has always sent), a Teams card, or Slack blocks.
 */
export function noticeMessage(notice: Notice, format: NoticeFormat): unknown {
  switch (format) {
    case 'json':
      return notice;
    case 'teams':
      return teamsMessage(notice);
    case 'slack':
      return slackMessage(notice);
  }
}
