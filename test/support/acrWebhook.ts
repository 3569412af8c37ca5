import { randomUUID } from 'node:crypto';

/** What an ACR webhook push delivery names; the media type is a Docker v2 manifest unless given. */
export interface PushedManifest {
  repository: string;
  tag: string;
  digest: string;
  mediaType?: string;
}

/**
 * An ACR webhook push delivery from the registry at `registryHost`, as ACR sends it (the shape of the
 * published sample), each with a fresh delivery id, as a redelivery of the same push would have.
 */
export function acrPushDelivery(pushed: PushedManifest, registryHost: string): unknown {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    action: 'push',
    target: {
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      size: 524,
      length: 524,
      ...pushed,
    },
    request: { id: randomUUID(), host: registryHost, method: 'PUT', useragent: 'docker/24.0.7' },
  };
}
