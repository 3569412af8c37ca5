/**
 * Azure keeps an orchestration's custom status in 16 KB of UTF-16, 8,192 characters of JSON, and
 * fails the orchestration beyond that. Shepherd stays at half of it.
 */
export const customStatusBudgetChars = 4_096;

/** Long texts (Azure's error messages, a person's reason) are cut to this many characters. */
const textLimit = 500;

/** `text` cut to `limit` characters, with an ellipsis when cut. */
export function cutText(text: string, limit = textLimit): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Whether `status` fits the custom status budget as JSON. */
export function fitsCustomStatus(status: unknown): boolean {
  return JSON.stringify(status).length <= customStatusBudgetChars;
}
