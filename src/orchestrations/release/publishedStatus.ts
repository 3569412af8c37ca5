import { cutText as cut, fitsCustomStatus } from '../customStatusLimit';
import type { AbortRequest, ReleaseStatus } from '../releaseModel';

/** Windows the custom status shows while a release runs; the output keeps every one. */
export const recentWindows = 5;

/**
 * The release status as its custom status carries it: the latest windows (`windowCount` says how
 * many there were; the release's output lists them all) and texts cut short, kept within
 * the custom status budget however long the release ran or however wordy the reasons were.
 */
export function publishedStatus(status: ReleaseStatus): ReleaseStatus {
  for (let shown = recentWindows; shown >= 0; shown--) {
    const published = shortened(status, shown);
    if (fitsCustomStatus(published)) return published;
  }
  const { releaseId, kind, target, image, previousImage, phase, trafficPercent, outcome, reason } = status;
  const { promotedFrom, promotedTo } = status;
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
    // Ids and target names, short and bounded: where the image came from and went next stay in view.
    ...(promotedFrom === undefined ? {} : { promotedFrom }),
    ...(promotedTo === undefined ? {} : { promotedTo }),
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
