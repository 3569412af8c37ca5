import type { ResourceManagementClient } from '@azure/arm-resources';
import { shepherdUserAgent } from './userAgent';
import { azureCall } from './azureOperationError';
import { sdk } from './sdk';
import type { ArmOptions } from './webAppsClients';

/** The tags of an Azure resource, read and merged through ARM's Tags API. */
export interface ResourceTags {
  read(resourceId: string): Promise<Record<string, string>>;
  /** Sets the given tags and keeps every other tag the resource has. Repeatable. */
  merge(resourceId: string, tags: Record<string, string>): Promise<void>;
}

/**
 * ResourceTags over `@azure/arm-resources`' `Microsoft.Resources/tags/default` at the resource's scope,
 * which needs only the Tag Contributor role and leaves the resource itself untouched: App Service's
 * own PATCH does not take tags.
 */
export class ArmResourceTags implements ResourceTags {
  readonly #options: ArmOptions;
  #client: ResourceManagementClient | undefined;

  constructor(options: ArmOptions) {
    this.#options = options;
  }

  /** The Tags API of the ARM client, which is made (and its SDK loaded) by the first call. */
  #tags(): ResourceManagementClient['tagsOperations'] {
    const { credential, endpoint } = this.#options;
    this.#client ??= new (sdk('@azure/arm-resources').ResourceManagementClient)(
      credential,
      endpoint === undefined ? shepherdUserAgent : { ...shepherdUserAgent, endpoint },
    );
    return this.#client.tagsOperations;
  }

  async read(resourceId: string): Promise<Record<string, string>> {
    return azureCall(`read the tags of ${resourceId}`, async () => {
      const resource = await this.#tags().getAtScope(resourceId.replace(/^\//, ''));
      return resource.properties.tags ?? {};
    });
  }

  async merge(resourceId: string, tags: Record<string, string>): Promise<void> {
    await azureCall(`tag ${resourceId}`, async () => {
      await this.#tags().updateAtScope(resourceId.replace(/^\//, ''), {
        operation: 'Merge',
        properties: { tags },
      });
    });
  }
}
