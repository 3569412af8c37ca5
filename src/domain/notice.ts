/** One line of a notice's table, e.g. `Target: web` or `Spent: $1,234.00`. */
export interface NoticeFact {
  name: string;
  value: string;
}

/** What a person can do about a notice, and how (a route or a place), e.g. re-release after a freeze. */
export interface NoticeAction {
  title: string;
  hint: string;
}

/**
 * What people are told: a line a chat channel shows (`text`), whether it needs someone now, and
 * optionally a short headline, the facts behind it and what to do about it, which the Teams and Slack
 * formats lay out as a card. Notices may carry more fields for scripts; the JSON format sends them all.
 */
export interface Notice {
  text: string;
  urgent: boolean;
  title?: string;
  facts?: NoticeFact[];
  actions?: NoticeAction[];
}
