import type { AbortRequest, ReleaseStatus } from '../releaseModel';

/**
 * Azure keeps an orchestration's custom status in 16 KB of UTF-16, 8,192 characters of JSON, and
 * fails the orchestration beyond that. Shepherd stays at half of it.
 */
export const customStatusBudgetChars = 4_096;
/** Windows the custom status shows while a release runs; the output keeps every one. */
export const recentWindows = 5;
/** Long texts (Azure's error messages, a person's reason) are cut to this many characters. */
const textLimit = 500;

/**
 * The release status as its custom status carries it: the latest windows (`windowCount` says how
 * many there were; the release's output lists them all) and texts cut short, kept within
 * `customStatusBudgetChars` however long the release ran or however wordy the reasons were.
 */
export function publishedStatus(status: ReleaseStatus): ReleaseStatus {
  for (let shown = recentWindows; shown >= 0; shown--) {
    const published = shortened(status, shown);
    if (JSON.stringify(published).length <= customStatusBudgetChars) return published;
  }
  const { releaseId, kind, target, image, previousImage, phase, trafficPercent, outcome, reason } = status;
  return {
    releaseId,
    kind,
    target,
    image,
    previousImage,
    phase,
    trafficPercent,
    windows: [],
    windowCount: status.windows.length,
    ...(outcome === undefined ? {} : { outcome }),
    ...(reason === undefined ? {} : { reason: cut(reason) }),
  };
}

function shortened(status: ReleaseStatus, windowsShown: number): ReleaseStatus {
  const { reason, abortedBy, requestedBy, approval } = status;
  return {
    ...status,
    ...(reason === undefined ? {} : { reason: cut(reason) }),
    ...(abortedBy === undefined ? {} : { abortedBy: cutRequest(abortedBy) }),
    ...(requestedBy === undefined ? {} : { requestedBy: cutRequest(requestedBy) }),
    ...(approval?.reason === undefined ? {} : { approval: { ...approval, reason: cut(approval.reason) } }),
    windows: status.windows
      .slice(Math.max(0, status.windows.length - windowsShown))
      .map((w) => ({ ...w, reasons: w.reasons.map(cut) })),
    windowCount: status.windows.length,
  };
}

function cutRequest(request: AbortRequest): AbortRequest {
  return { ...request, by: cut(request.by), reason: cut(request.reason) };
}

function cut(text: string): string {
  return text.length <= textLimit ? text : `${text.slice(0, textLimit - 1)}…`;
}
