import { cutText, fitsCustomStatus } from '../customStatusLimit';
import type { RotationStatus } from '../rotationModel';

/**
 * The rotation status as its custom status carries it, within the custom status budget: texts cut
 * short; with many consumers, the details of those proven left out, then only those not proven kept
 * (`consumerCount` says how many there are; the rotation's output keeps every one).
 */
export function publishedRotationStatus(status: RotationStatus): RotationStatus & { consumerCount?: number } {
  const shortened: RotationStatus = {
    ...status,
    requestedBy: {
      ...status.requestedBy,
      by: cutText(status.requestedBy.by),
      reason: cutText(status.requestedBy.reason),
    },
    consumers: status.consumers.map((c) => ({ ...c, detail: cutText(c.detail, 200) })),
    ...(status.reason === undefined ? {} : { reason: cutText(status.reason) }),
  };
  if (fitsCustomStatus(shortened)) return shortened;
  const proofsLeftOut = {
    ...shortened,
    consumers: shortened.consumers.map((c) => (c.verified ? { ...c, detail: '' } : c)),
  };
  if (fitsCustomStatus(proofsLeftOut)) return proofsLeftOut;
  const unproven = proofsLeftOut.consumers.filter((c) => !c.verified);
  for (let kept = unproven.length; kept > 0; kept--) {
    const published = {
      ...proofsLeftOut,
      consumers: unproven.slice(0, kept),
      consumerCount: status.consumers.length,
    };
    if (fitsCustomStatus(published)) return published;
  }
  return { ...proofsLeftOut, consumers: [], consumerCount: status.consumers.length };
}
