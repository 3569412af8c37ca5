import { ContainerRegistryClient } from '@azure/container-registry';
import type { TokenCredential } from '@azure/identity';

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

  constructor(options: RegistryClientOptions) {
    this.#options = options;
  }

  for(loginServer: string): ContainerRegistryClient {
    const key = loginServer.toLowerCase();
    let client = this.#clients.get(key);
    if (client === undefined) {
      client = new ContainerRegistryClient(
        this.#options.endpoint ?? `https://${key}`,
        this.#options.credential,
      );
      this.#clients.set(key, client);
    }
    return client;
  }
}
