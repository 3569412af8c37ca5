import { createRequire } from 'node:module';
import type * as AppServiceSdk from '@azure/arm-appservice';
import type * as ContainerRegistrySdk from '@azure/container-registry';
import type * as ResourcesSdk from '@azure/arm-resources';
import type * as PipelineSdk from '@azure/core-rest-pipeline';
import type * as TablesSdk from '@azure/data-tables';
import type * as IdentitySdk from '@azure/identity';
import type * as KeyVaultSecretsSdk from '@azure/keyvault-secrets';
import type * as MetricsSdk from '@azure/monitor-query-metrics';
import type * as BlobSdk from '@azure/storage-blob';
import type * as PgSdk from 'pg';

/** The packages Shepherd loads on first use, with the types of their exports. */
interface LoadedOnFirstUse {
  '@azure/arm-appservice': typeof AppServiceSdk;
  '@azure/arm-resources': typeof ResourcesSdk;
  '@azure/container-registry': typeof ContainerRegistrySdk;
  '@azure/core-rest-pipeline': typeof PipelineSdk;
  '@azure/data-tables': typeof TablesSdk;
  '@azure/identity': typeof IdentitySdk;
  '@azure/keyvault-secrets': typeof KeyVaultSecretsSdk;
  '@azure/monitor-query-metrics': typeof MetricsSdk;
  '@azure/storage-blob': typeof BlobSdk;
  pg: typeof PgSdk;
}

// The host loads every function's module at start-up, and these packages were about half of that
// load (`npm run bench -- startup`). Adapters import only their types statically and ask for a
// package here the first time a call needs it.
const load = createRequire(__filename);

/**
 * The exports of the Azure SDK (or `pg`) `id`: loaded by the first call, from Node's module cache
 * after that. Call it where the SDK is used, never at a module's top level.
 */
export function sdk<Id extends keyof LoadedOnFirstUse>(id: Id): LoadedOnFirstUse[Id] {
  return load(id) as LoadedOnFirstUse[Id];
}
