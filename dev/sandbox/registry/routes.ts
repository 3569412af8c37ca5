import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../host/clock';
import { requireScope } from './auth';
import { invalidInput } from './errors';
import { nextLink, pageOf, parseListQuery } from './paging';
import type { RegistryTokens } from './registryTokens';
import type { ChangeableAttributes, RegistryStore, StoredManifest } from './store';
import { toManifestAttributes, toRepositoryAttributes, toTagAttributes } from './views';

/** What the data-plane routes work on. */
export interface RegistryRoutesDeps {
  store: RegistryStore;
  clock: Clock;
  /** The registry's name in response bodies (`registry`). */
  loginServer: string;
  tokens: RegistryTokens;
  /** Told of manifests a request deleted, so that ACR's delete notifications go out. */
  manifestsDeleted(repository: string, manifests: StoredManifest[], userAgent: string): void;
}

interface NameParams {
  name: string;
}
interface ReferenceParams extends NameParams {
  reference: string;
}

const attributesPatchSchema = z
  .object({
    deleteEnabled: z.boolean(),
    writeEnabled: z.boolean(),
    listEnabled: z.boolean(),
    readEnabled: z.boolean(),
  })
  .partial()
  .strict();

function parseAttributesPatch(body: unknown): Partial<ChangeableAttributes> {
  const parsed = attributesPatchSchema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw invalidInput(parsed.error.issues, 'body');
}

const userAgentOf = (req: FastifyRequest): string => req.headers['user-agent'] ?? '';

/**
 * ACR's data-plane API as `@azure/container-registry` calls it (2021-07-01): the catalog, repository,
 * tag and manifest properties with their locks, paging by `Link` header, and deletes that answer 202.
 * Names and digests arrive URL-encoded in the path (`library%2Fhello`, `sha256%3A…`).
 */
export function registerRegistryRoutes(app: FastifyInstance, deps: RegistryRoutesDeps): void {
  const { store, clock, loginServer, tokens } = deps;
  // Every route guarded this way has a `:name` parameter.
  const scope = (action: string) =>
    requireScope(tokens, (req) => ({
      type: 'repository',
      name: (req.params as NameParams).name,
      actions: [action],
    }));
  const read = { preHandler: scope('metadata_read') };
  const pull = { preHandler: scope('pull') };
  const write = { preHandler: scope('metadata_write') };
  const remove = { preHandler: scope('delete') };
  const accepted = (reply: FastifyReply): FastifyReply => reply.code(202).send();

  app.get(
    '/acr/v1/_catalog',
    { preHandler: requireScope(tokens, () => ({ type: 'registry', name: 'catalog', actions: ['*'] })) },
    (req, reply) => {
      const query = parseListQuery(req.query);
      const page = pageOf(
        store.repositoryNames(),
        (n) => n,
        () => 0,
        query,
      );
      if (page.next !== undefined) void reply.header('link', nextLink('/acr/v1/_catalog', query, page.next));
      return { repositories: page.items };
    },
  );

  app.get<{ Params: NameParams }>('/acr/v1/:name', read, (req) =>
    toRepositoryAttributes(loginServer, store.repository(req.params.name)),
  );

  app.patch<{ Params: NameParams }>('/acr/v1/:name', write, (req) => {
    const repository = store.repository(req.params.name);
    store.updateAttributes(repository, parseAttributesPatch(req.body), clock.now());
    return toRepositoryAttributes(loginServer, repository);
  });

  app.delete<{ Params: NameParams }>('/acr/v1/:name', remove, (req, reply) => {
    const repository = store.deleteRepository(req.params.name);
    deps.manifestsDeleted(repository.name, [...repository.manifests.values()], userAgentOf(req));
    return accepted(reply);
  });

  app.get<{ Params: NameParams }>('/acr/v1/:name/_tags', read, (req, reply) => {
    const repository = store.repository(req.params.name);
    const query = parseListQuery(req.query);
    const listed = [...repository.tags.values()].filter(
      (t) => t.attributes.listEnabled && (query.digest === undefined || t.digest === query.digest),
    );
    const page = pageOf(
      listed,
      (t) => t.name,
      (t) => t.lastUpdatedOn,
      query,
    );
    if (page.next !== undefined)
      void reply.header(
        'link',
        nextLink(`/acr/v1/${encodeURIComponent(repository.name)}/_tags`, query, page.next),
      );
    return { registry: loginServer, imageName: repository.name, tags: page.items.map(toTagAttributes) };
  });

  app.get<{ Params: ReferenceParams }>('/acr/v1/:name/_tags/:reference', read, (req) => ({
    registry: loginServer,
    imageName: req.params.name,
    tag: toTagAttributes(store.tag(req.params.name, req.params.reference)),
  }));

  app.patch<{ Params: ReferenceParams }>('/acr/v1/:name/_tags/:reference', write, (req) => {
    const tag = store.tag(req.params.name, req.params.reference);
    store.updateAttributes(tag, parseAttributesPatch(req.body), clock.now());
    return { registry: loginServer, imageName: req.params.name, tag: toTagAttributes(tag) };
  });

  // ACR sends no webhook or event when only a tag goes ("Not triggered when a tag is deleted").
  app.delete<{ Params: ReferenceParams }>('/acr/v1/:name/_tags/:reference', remove, (req, reply) => {
    store.deleteTag(req.params.name, req.params.reference);
    return accepted(reply);
  });

  app.get<{ Params: NameParams }>('/acr/v1/:name/_manifests', read, (req, reply) => {
    const repository = store.repository(req.params.name);
    const query = parseListQuery(req.query);
    const listed = [...repository.manifests.values()].filter((m) => m.attributes.listEnabled);
    const page = pageOf(
      listed,
      (m) => m.digest,
      (m) => m.lastUpdatedOn,
      query,
    );
    if (page.next !== undefined)
      void reply.header(
        'link',
        nextLink(`/acr/v1/${encodeURIComponent(repository.name)}/_manifests`, query, page.next),
      );
    return {
      registry: loginServer,
      imageName: repository.name,
      manifests: page.items.map((m) => toManifestAttributes(m, store.tagsOf(repository, m.digest))),
    };
  });

  const manifestBody = (name: string, manifest: StoredManifest): Record<string, unknown> => ({
    registry: loginServer,
    imageName: name,
    manifest: toManifestAttributes(manifest, store.tagsOf(store.repository(name), manifest.digest)),
  });

  app.get<{ Params: ReferenceParams }>('/acr/v1/:name/_manifests/:reference', read, (req) =>
    manifestBody(req.params.name, store.manifest(req.params.name, req.params.reference)),
  );

  app.patch<{ Params: ReferenceParams }>('/acr/v1/:name/_manifests/:reference', write, (req) => {
    const manifest = store.manifest(req.params.name, req.params.reference);
    store.updateAttributes(manifest, parseAttributesPatch(req.body), clock.now());
    return manifestBody(req.params.name, manifest);
  });

  // The manifest document, as the OCI distribution API serves it (what `getManifest` reads).
  app.get<{ Params: ReferenceParams }>('/v2/:name/manifests/:reference', pull, (req, reply) => {
    const manifest = store.manifest(req.params.name, req.params.reference);
    return reply
      .header('content-type', manifest.mediaType)
      .header('docker-content-digest', manifest.digest)
      .send(manifest.document);
  });

  // The published DeleteManifest example deletes by tag ("3.7"), so a tag is taken as well as a digest.
  app.delete<{ Params: ReferenceParams }>('/v2/:name/manifests/:reference', remove, (req, reply) => {
    const { manifest } = store.deleteManifest(req.params.name, req.params.reference);
    deps.manifestsDeleted(req.params.name, [manifest], userAgentOf(req));
    return accepted(reply);
  });
}
