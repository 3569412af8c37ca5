import type { FastifyInstance } from 'fastify';
import type { SandboxContext, SandboxModule } from '../context';
import type { ImageFaults } from '../imageFaults';
import { imageFaultsSchema } from '../imageFaults';
import { registerTokenRoutes } from './auth';
import type { DeliveryResult } from '../delivery';
import { Deliverer } from '../delivery';
import { RegistryError, registryErrorHandler } from './errors';
import { newImageContent, newIndexContent, newReferrerContent } from './image';
import type { RegistryEventGrid, RegistryWebhook } from './notifications';
import { deliveriesFor } from './notifications';
import type { EventOrigin, RegistryEvent } from './payloads';
import { imageDeleted, imagePushed } from './payloads';
import { registerPushRoute } from './pushRoute';
import { parseImageReference, parsePushReference } from './reference';
import { RegistryTokens } from './registryTokens';
import { registerRegistryRoutes } from './routes';
import type { StoredManifest } from './store';
import { RegistryStore } from './store';

export interface RegistryModuleOptions {
  /** The registry's host name in image references and payloads, e.g. `sandboxregistry.azurecr.io`. */
  loginServer: string;
  webhooks?: RegistryWebhook[];
  eventGrid?: RegistryEventGrid;
  /** For the event `source`/`topic`; an all-zero id by default. */
  subscriptionId?: string;
  /** For the event `source`/`topic`; `sandbox` by default. */
  resourceGroup?: string;
  /** For the event `source`/`topic`; the first label of `loginServer` by default, as in Azure. */
  registryName?: string;
  /**
   * Real-time waits between delivery attempts; one retry per entry. By default three retries over
   * about fifteen seconds: long enough to ride out a local host that is still starting, short
   * enough for a push command to report on.
   */
  retryDelaysMs?: number[];
  /**
   * Images the registry already holds when the sandbox starts (`[loginServer/]repository:tag`), with no
   * faults and no notifications: what the sites run before anything is pushed.
   */
  images?: string[];
}

/** What a push recorded and what became of the notifications it sent. */
export interface PushResult {
  repository: string;
  tag: string;
  digest: string;
  deliveries: DeliveryResult[];
}

/** The registry of a sandbox: its module, and what the sandbox's other parts and commands ask of it. */
export interface SandboxRegistry {
  module: SandboxModule;
  /**
   * Pushes `repository:tag` as a new image with `faults` (the rest default to none), then sends the
   * push webhooks and the ImagePushed event; resolves when each has been delivered or given up.
   * Rejects when the reference is malformed or a lock refuses the push.
   */
  push(reference: string, faults?: Partial<ImageFaults>): Promise<PushResult>;
  /**
   * The faults of the image a reference names (`[loginServer/]repository[:tag][@sha256:…]`; `latest`
   * when it names neither tag nor digest), or undefined when this registry does not hold it.
   */
  faultsOf(imageReference: string): ImageFaults | undefined;
  /** Resolves once no webhook or event delivery is in flight. */
  idle(): Promise<void>;
  /**
   * Stores a manifest as if pushed `ageDays` ago, sending nothing: how retention tests and the
   * cleanup benchmark fill a repository with images of many ages. Returns its digest.
   */
  seed(image: SeedImage): string;
  /** How many requests the registry has answered so far, token exchanges included. */
  requestCount(): number;
}

/** A manifest to seed: an image, or an index of images already seeded; tagged or not. */
export interface SeedImage {
  repository: string;
  /** Untagged when not given; a tag already on another manifest moves here, as a push moves it. */
  tag?: string;
  /** How long ago it was pushed; 0 by default. */
  ageDays?: number;
  /** The image's architecture, `amd64` by default. */
  architecture?: string;
  /** Makes an index of these digests (images of the same repository) instead of an image. */
  platforms?: string[];
  /** Makes an OCI artifact referring to this digest (a Notation signature) instead of an image. */
  subject?: string;
}

const defaultRetryDelaysMs = [1_000, 4_000, 10_000];

/**
 * An Azure Container Registry for the sandbox, served at the sandbox's origin: the data-plane API
 * and token exchange that `@azure/container-registry` uses, and a push that sends what ACR sends.
 */
export function registryModule(options: RegistryModuleOptions): SandboxRegistry {
  const { loginServer } = options;
  const store = new RegistryStore();
  const tokens = new RegistryTokens();
  const deliverer = new Deliverer(options.retryDelaysMs ?? defaultRetryDelaysMs);
  const origin: EventOrigin = {
    loginServer,
    resourceId:
      `/subscriptions/${options.subscriptionId ?? '00000000-0000-0000-0000-000000000000'}` +
      `/resourceGroups/${options.resourceGroup ?? 'sandbox'}` +
      `/providers/Microsoft.ContainerRegistry/registries/${options.registryName ?? loginServer.split('.')[0] ?? loginServer}`,
  };
  const targets = { origin, webhooks: options.webhooks ?? [], eventGrid: options.eventGrid };
  let context: SandboxContext | undefined;

  const now = (): number => {
    if (!context) throw new Error('The registry module has not been added to a running sandbox yet.');
    return context.clock.now();
  };
  const notify = (event: RegistryEvent): Promise<DeliveryResult[]> =>
    deliverer.deliverAll(deliveriesFor(targets, event));

  const pushImage = async (
    repository: string,
    tag: string,
    faults: ImageFaults,
    userAgent: string,
  ): Promise<PushResult> => {
    const at = now();
    const content = newImageContent(repository, tag, faults);
    store.push(repository, tag, content, faults, at);
    const deliveries = await notify(imagePushed(origin, { repository, tag, ...content }, at, userAgent));
    return { repository, tag, digest: content.digest, deliveries };
  };

  let requests = 0;
  const seed = (image: SeedImage): string => {
    const faults = imageFaultsSchema.parse({});
    const subject = image.subject === undefined ? undefined : store.manifest(image.repository, image.subject);
    const content =
      subject !== undefined
        ? newReferrerContent({
            digest: subject.digest,
            mediaType: subject.mediaType,
            size: subject.manifestSize,
          })
        : image.platforms === undefined
          ? newImageContent(image.repository, image.tag ?? '', faults, image.architecture)
          : newIndexContent(
              image.platforms.map((digest) => {
                const platform = store.manifest(image.repository, digest);
                return { digest, architecture: platform.architecture, os: platform.os };
              }),
            );
    const at = now() - (image.ageDays ?? 0) * 86_400_000;
    return store.push(image.repository, image.tag, content, faults, at).digest;
  };

  const manifestsDeleted = (repository: string, manifests: StoredManifest[], userAgent: string): void => {
    const at = now();
    for (const m of manifests) void notify(imageDeleted(origin, { repository, ...m }, at, userAgent));
  };

  const module: SandboxModule = (app, ctx) => {
    context = ctx;
    for (const reference of options.images ?? []) {
      const { repository, tag = 'latest' } = parseImageReference(reference);
      const faults = imageFaultsSchema.parse({});
      store.push(repository, tag, newImageContent(repository, tag, faults), faults, ctx.clock.now());
    }
    // Its own plugin scope, so that the registry's errors answer in ACR's shape, not ARM's.
    void app.register((registry: FastifyInstance, _options, done) => {
      registry.setErrorHandler(registryErrorHandler);
      registry.addHook('onRequest', (_req, _reply, next) => {
        requests += 1;
        next();
      });
      registerTokenRoutes(registry, ctx.tokens, tokens);
      registerRegistryRoutes(registry, { store, clock: ctx.clock, loginServer, tokens, manifestsDeleted });
      registerPushRoute(registry, { entra: ctx.tokens, push: pushImage });
      done();
    });
    return {
      close: async () => {
        deliverer.close();
        await deliverer.idle();
      },
    };
  };

  return {
    module,
    push: async (reference, faults = {}) => {
      const { repository, tag } = parsePushReference(reference);
      return pushImage(repository, tag, { ...imageFaultsSchema.parse({}), ...faults }, 'shepherd-sandbox');
    },
    faultsOf: (imageReference) => {
      const { registry, repository, tag, digest } = parseImageReference(imageReference);
      if (registry !== undefined && registry.toLowerCase() !== loginServer.toLowerCase()) return undefined;
      try {
        return { ...store.resolve(repository, digest ?? tag ?? 'latest').faults };
      } catch (error) {
        if (error instanceof RegistryError) return undefined;
        throw error;
      }
    },
    idle: () => deliverer.idle(),
    seed,
    requestCount: () => requests,
  };
}
