import { z } from 'zod';
import { registryPush, toImagePush, unfollowedPush } from './imagePush';
import type { ImagePush, RepositoryFollowed } from './imagePush';
import { parseWith, type ParseResult } from './parseResult';

const imagePushedType = 'Microsoft.ContainerRegistry.ImagePushed';

// Older Event Grid deliveries name the type without its namespace.
const imagePushed = z.enum([imagePushedType, 'ImagePushed'], {
  error: `expected "${imagePushedType}"; subscribe this function to image pushes only`,
});

// An Event Grid subscription delivers in the schema it was created with; only CloudEvents carry `specversion`.
const cloudEventKind = z.object({ specversion: z.literal('1.0'), type: imagePushed });
const eventGridEventKind = z.object({ eventType: imagePushed });

const imagePushedData = z
  .object({ data: registryPush })
  .transform(({ data }) => ({ kind: 'push' as const, ...toImagePush(data) }));

/** An ImagePushed event: the push to release, or why it was ignored unread. */
export type ImagePushedEvent = (ImagePush & { kind: 'push' }) | { kind: 'ignored'; reason: string };

/**
 * Validates one Event Grid delivery of `Microsoft.ContainerRegistry.ImagePushed`, in the Event Grid
 * schema or CloudEvents 1.0, into the same push the ACR webhook gives. An event of another type gets
 * that one problem, since its data was never meant to be read as a push; a push for a repository no
 * target follows is ignored without reading the rest of its data.
 */
export function parseImagePushedEvent(
  event: unknown,
  follows: RepositoryFollowed,
): ParseResult<ImagePushedEvent> {
  const isCloudEvent = typeof event === 'object' && event !== null && 'specversion' in event;
  const kind = isCloudEvent ? parseWith(cloudEventKind, event) : parseWith(eventGridEventKind, event);
  if (!kind.ok) return kind;
  const unfollowed = unfollowedPush((event as { data?: unknown }).data, follows);
  if (unfollowed !== undefined) return { ok: true, value: { kind: 'ignored', reason: unfollowed } };
  return parseWith(imagePushedData, event);
}
