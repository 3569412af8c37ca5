import { z } from 'zod';
import { registryPush, toImagePush, type ImagePush } from './imagePush';
import { parseWith, type ParseResult } from './parseResult';

const imagePushedType = 'Microsoft.ContainerRegistry.ImagePushed';

const imagePushed = z.literal(imagePushedType, {
  error: `expected "${imagePushedType}"; subscribe this function to image pushes only`,
});

// An Event Grid subscription delivers in the schema it was created with; only CloudEvents carry `specversion`.
const cloudEventKind = z.object({ specversion: z.literal('1.0'), type: imagePushed });
const eventGridEventKind = z.object({ eventType: imagePushed });

const imagePushedData = z.object({ data: registryPush }).transform(({ data }) => toImagePush(data));

/**
 * Validates one Event Grid delivery of `Microsoft.ContainerRegistry.ImagePushed`, in the Event Grid
 * schema or CloudEvents 1.0, into the same `ImagePush` the ACR webhook gives. An event of another
 * type gets that one problem, since its data was never meant to be read as a push.
 */
export function parseImagePushedEvent(event: unknown): ParseResult<ImagePush> {
  const isCloudEvent = typeof event === 'object' && event !== null && 'specversion' in event;
  const kind = isCloudEvent ? parseWith(cloudEventKind, event) : parseWith(eventGridEventKind, event);
  return kind.ok ? parseWith(imagePushedData, event) : kind;
}
