import type { ContainerRegistryClient, ContainerRegistryContentClient } from '@azure/container-registry';
import { shepherdUserAgent } from './userAgent';
import type { TokenCredential } from '@azure/identity';
import { sdk } from './sdk';

/** Where registry clients connect, and as whom. */
export interface RegistryClientOptions {
  credential: TokenCredential;
  /** Reaches every registry at one origin (the sandbox); unset, each at `https://<loginServer>`. */
  endpoint?: string | undefined;
}

/**
 * One `ContainerRegistryClient` per registry, made at first use: each keeps its own registry tokens,
 * so reusing it saves a token exchange per call.
 */
export class RegistryClients {
  readonly #options: RegistryClientOptions;
  readonly #clients = new Map<string, ContainerRegistryClient>();
  readonly #contentClients = new Map<string, ContainerRegistryContentClient>();

  constructor(options: RegistryClientOptions) {
    this.#options = options;
  }

  for(loginServer: string): ContainerRegistryClient {
    const key = loginServer.toLowerCase();
    let client = this.#clients.get(key);
    if (client === undefined) {
      client = new (sdk('@azure/container-registry').ContainerRegistryClient)(
        this.#options.endpoint ?? `https://${key}`,
        this.#options.credential,
        shepherdUserAgent,
      );
      this.#clients.set(key, client);
    }
    return client;
  }

  /** The client that reads manifest documents of one repository (what the listing does not say, such as a `subject`). */
  contentFor(loginServer: string, repository: string): ContainerRegistryContentClient {
    const key = `${loginServer.toLowerCase()}/${repository}`;
    let client = this.#contentClients.get(key);
    if (client === undefined) {
      client = new (sdk('@azure/container-registry').ContainerRegistryContentClient)(
        this.#options.endpoint ?? `https://${loginServer.toLowerCase()}`,
        repository,
        this.#options.credential,
        shepherdUserAgent,
      );
      this.#contentClients.set(key, client);
    }
    return client;
  }
}
