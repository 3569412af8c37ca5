import { randomUUID } from 'node:crypto';

/**
 * One registry event as ACR describes it: the body of its webhook and the `data` of its Event Grid
 * event, shaped as the webhook reference's push and delete examples.
 */
export interface RegistryEvent {
  id: string;
  timestamp: string;
  action: 'push' | 'delete';
  target: {
    mediaType: string;
    size?: number;
    digest: string;
    length?: number;
    repository: string;
    tag?: string;
  };
  request: { id: string; host: string; method: string; useragent: string };
}

/** Where events come from: the registry's host name and its ARM resource id (the event `source`). */
export interface EventOrigin {
  loginServer: string;
  resourceId: string;
}

/** The two schemas an Event Grid subscription can deliver in. */
export type EventSchema = 'CloudEvents' | 'EventGrid';

const eventTypes = {
  push: 'Microsoft.ContainerRegistry.ImagePushed',
  delete: 'Microsoft.ContainerRegistry.ImageDeleted',
} as const;

function request(host: string, method: string, userAgent: string): RegistryEvent['request'] {
  return { id: randomUUID(), host, method, useragent: userAgent };
}

/** The event of a pushed image: the manifest put under `tag`. */
export function imagePushed(
  origin: EventOrigin,
  image: { repository: string; tag: string; digest: string; mediaType: string; manifestSize: number },
  at: number,
  userAgent: string,
): RegistryEvent {
  return {
    id: randomUUID(),
    timestamp: new Date(at).toISOString(),
    action: 'push',
    target: {
      mediaType: image.mediaType,
      size: image.manifestSize,
      digest: image.digest,
      length: image.manifestSize,
      repository: image.repository,
      tag: image.tag,
    },
    request: request(origin.loginServer, 'PUT', userAgent),
  };
}

/** The event of a deleted manifest, which names no tag (ACR sends none when only a tag goes). */
export function imageDeleted(
  origin: EventOrigin,
  image: { repository: string; digest: string; mediaType: string },
  at: number,
  userAgent: string,
): RegistryEvent {
  return {
    id: randomUUID(),
    timestamp: new Date(at).toISOString(),
    action: 'delete',
    target: { mediaType: image.mediaType, digest: image.digest, repository: image.repository },
    request: request(origin.loginServer, 'DELETE', userAgent),
  };
}

/**
 * The Event Grid batch carrying `event`, in CloudEvents 1.0 or the Event Grid schema. The subject is
 * `repository:tag` for a push and the repository for a delete.
 */
export function toEventGridBatch(origin: EventOrigin, event: RegistryEvent, schema: EventSchema): object[] {
  const { repository, tag } = event.target;
  const subject = tag === undefined ? repository : `${repository}:${tag}`;
  const type = eventTypes[event.action];
  if (schema === 'CloudEvents') {
    return [
      {
        id: randomUUID(),
        source: origin.resourceId,
        subject,
        type,
        time: event.timestamp,
        data: event,
        specversion: '1.0',
      },
    ];
  }
  return [
    {
      id: randomUUID(),
      topic: origin.resourceId,
      subject,
      eventType: type,
      eventTime: event.timestamp,
      data: event,
      dataVersion: '1.0',
      metadataVersion: '1',
    },
  ];
}
