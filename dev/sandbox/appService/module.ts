import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { armError, armPreflight } from '../arm';
import type { ModuleHandle, SandboxContext, SandboxModule } from '../context';
import type { VaultReads } from '../keyVault/reads';
import { productionSlot } from './model';
import { Operations } from './operations';
import { registerReferenceRoutes } from './referenceRoutes';
import { toConfigResource, toSiteResource, toTagsResource } from './resources';
import type { SwapRecord } from './resources';
import {
  appSettingsBody,
  siteConfigBody,
  siteUpdateBody,
  slotConfigNamesBody,
  swapBody,
  tagsPatchBody,
} from './schemas';
import { SandboxSite } from './site';
import type { ImageLookup, SiteDefinition } from './site';

export interface AppServiceOptions {
  sites: SiteDefinition[];
  images: ImageLookup;
  /** The vault app settings' Key Vault references read (the sandbox's Key Vault). */
  vault?: VaultReads;
  /** How long a swap waits for the source slot to answer its warm-up ping. */
  swapWarmUpTimeoutMs?: number;
}

export interface AppService {
  module: SandboxModule;
  /** The sites, once the module is registered, by `subscription/resourceGroup/name` in lower case. */
  sites: Map<string, SandboxSite>;
  operations: Operations;
  /** The region of a site or slot (`westeurope`), by its resource id in any case; undefined when there is none. */
  regionOf(resourceId: string): string | undefined;
}

type SiteParams = { sub: string; rg: string; site: string; slot?: string; setting?: string };
/** Adds a route on a site and, unless told otherwise, on each of its slots. */
export type SiteRoute = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  suffix: string,
  handler: Handler,
  slotToo?: boolean,
) => void;
export type Handler = (
  site: SandboxSite,
  slot: string,
  req: FastifyRequest<{ Params: SiteParams }>,
  reply: FastifyReply,
) => unknown;

const siteBase = '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Web/sites/:site';

/**
 * ARM's `Microsoft.Web` sites and slots for the sandbox's sites: get and list, site config (image,
 * routing rules), app settings with their Key Vault references, sticky setting names,
 * restart/stop/start, swap with preview, and swap as a long-running operation.
 */
export function createAppService(options: AppServiceOptions): AppService {
  const sites = new Map<string, SandboxSite>();
  const operations = new Operations();
  const swaps = new Map<string, SwapRecord>();
  /** Sites with a swap in progress. */
  const swapping = new Set<string>();

  const module = (app: FastifyInstance, ctx: SandboxContext): ModuleHandle => {
    for (const definition of options.sites) {
      sites.set(
        siteKey(definition.subscriptionId, definition.resourceGroup, definition.name),
        new SandboxSite(definition, ctx, options.images, options.vault),
      );
    }
    app.addHook('onReady', async () => {
      for (const site of sites.values()) await site.start();
    });

    const route: SiteRoute = (method, suffix, handler, slotToo = true) => {
      const wrapped = async (
        req: FastifyRequest<{ Params: SiteParams }>,
        reply: FastifyReply,
      ): Promise<unknown> => {
        if (!armPreflight(ctx, req, reply)) return reply;
        const { sub, rg, site: name, slot = productionSlot } = req.params;
        const site = sites.get(siteKey(sub, rg, name));
        if (!site)
          return armError(
            reply,
            404,
            'ResourceNotFound',
            `The Resource 'Microsoft.Web/sites/${name}' under resource group '${rg}' was not found.`,
          );
        if (!site.slot(slot)) {
          return armError(
            reply,
            404,
            'ResourceNotFound',
            `The Resource 'Microsoft.Web/sites/${name}/slots/${slot}' under resource group '${rg}' was not found.`,
          );
        }
        return handler(site, slot.toLowerCase() === productionSlot ? productionSlot : slot, req, reply);
      };
      app.route({ method, url: `${siteBase}${suffix}`, handler: wrapped });
      if (slotToo) app.route({ method, url: `${siteBase}/slots/:slot${suffix}`, handler: wrapped });
    };
    const siteOnly = (method: 'GET' | 'PUT' | 'PATCH', suffix: string, handler: Handler): void => {
      route(method, suffix, handler, false);
    };

    route('GET', '', (site, slot) => toSiteResource(site, slot, swaps.get(site.resourceId())));
    siteOnly('PATCH', '', (site, slot, req, reply) => {
      const body = parse(siteUpdateBody, req.body, reply);
      if (!body) return reply;
      if (body.tags) site.tags = body.tags;
      return toSiteResource(site, slot, swaps.get(site.resourceId()));
    });
    // ARM's Tags API at the site's scope, the way `az tag update --resource-id` reaches a site's tags.
    const tagsPath = '/providers/Microsoft.Resources/tags/default';
    siteOnly('GET', tagsPath, (site) => toTagsResource(site));
    siteOnly('PATCH', tagsPath, (site, _slot, req, reply) => {
      const body = parse(tagsPatchBody, req.body, reply);
      if (!body) return reply;
      const given = body.properties.tags;
      if (body.operation === 'Replace') site.tags = { ...given };
      else if (body.operation === 'Merge') site.tags = { ...site.tags, ...given };
      else site.tags = Object.fromEntries(Object.entries(site.tags).filter(([name]) => !(name in given)));
      return toTagsResource(site);
    });
    siteOnly('GET', '/slots', (site) => ({
      value: [...site.slots.keys()]
        .filter((s) => s !== productionSlot)
        .map((s) => toSiteResource(site, s, undefined)),
      nextLink: null,
    }));

    route('GET', '/config/web', (site, slot) =>
      toConfigResource(site, slot, 'web', site.slot(slot)?.config.siteConfig),
    );
    for (const method of ['PUT', 'PATCH'] as const) {
      route(method, '/config/web', async (site, slot, req, reply) => {
        const body = parse(siteConfigBody, req.body, reply);
        if (!body) return reply;
        await site.updateSiteConfig(slot, body.properties, method === 'PUT');
        return toConfigResource(site, slot, 'web', site.slot(slot)?.config.siteConfig);
      });
    }

    route('POST', '/config/appsettings/list', (site, slot) =>
      toConfigResource(site, slot, 'appsettings', site.slot(slot)?.config.appSettings),
    );
    route('PUT', '/config/appsettings', (site, slot, req, reply) => {
      const body = parse(appSettingsBody, req.body, reply);
      if (!body) return reply;
      site.replaceAppSettings(slot, body.properties);
      return toConfigResource(site, slot, 'appsettings', site.slot(slot)?.config.appSettings);
    });

    siteOnly('GET', '/config/slotConfigNames', (site) =>
      toConfigResource(site, productionSlot, 'slotConfigNames', site.slotConfigNames),
    );
    siteOnly('PUT', '/config/slotConfigNames', (site, _slot, req, reply) => {
      const body = parse(slotConfigNamesBody, req.body, reply);
      if (!body) return reply;
      const p = body.properties;
      site.slotConfigNames = {
        appSettingNames: p.appSettingNames ?? [],
        connectionStringNames: p.connectionStringNames ?? [],
        azureStorageConfigNames: p.azureStorageConfigNames ?? [],
      };
      return toConfigResource(site, productionSlot, 'slotConfigNames', site.slotConfigNames);
    });

    const lifecycle: [string, (site: SandboxSite, slot: string) => Promise<void> | void][] = [
      ['/restart', (site, slot) => site.restart(slot)],
      ['/stop', (site, slot) => site.setState(slot, 'Stopped')],
      ['/start', (site, slot) => site.setState(slot, 'Running')],
      [
        '/resetSlotConfig',
        (site, slot) => {
          for (const name of slot === productionSlot ? [...site.slots.keys()] : [slot])
            site.resetSlotConfig(name);
        },
      ],
    ];
    for (const [suffix, action] of lifecycle) {
      route('POST', suffix, async (site, slot, _req, reply) => {
        await action(site, slot);
        return reply.code(200).send();
      });
    }

    registerReferenceRoutes(route);

    // On the site, `targetSlot` names the slot that pairs with production; on a slot, its partner.
    const pairOf = (slot: string, targetSlot: string): [string, string] =>
      slot === productionSlot ? [targetSlot, productionSlot] : [slot, targetSlot];

    route('POST', '/applySlotConfig', (site, slot, req, reply) => {
      const body = parse(swapBody, req.body, reply);
      if (!body) return reply;
      const [source, target] = pairOf(slot, body.targetSlot);
      if (!site.slot(source) || !site.slot(target))
        return armError(reply, 400, 'BadRequest', `Unknown slot '${source}' or '${target}'.`);
      site.applySlotConfig(source, target);
      return reply.code(200).send();
    });

    route('POST', '/slotsswap', (site, slot, req, reply) => {
      const body = parse(swapBody, req.body, reply);
      if (!body) return reply;
      const [source, target] = pairOf(slot, body.targetSlot);
      if (!site.slot(source) || !site.slot(target) || source.toLowerCase() === target.toLowerCase()) {
        return armError(reply, 400, 'BadRequest', `Cannot swap slot '${source}' with '${target}'.`);
      }
      // App Service runs one operation on a site at a time: a second swap is refused while one runs.
      if (swapping.has(site.resourceId()))
        return armError(
          reply,
          409,
          'Conflict',
          'Cannot modify this site because another operation is in progress. OperationName: SwapSiteSlots',
        );
      swapping.add(site.resourceId());
      const id = operations.start(async () => {
        try {
          await site.swap(source, target, options.swapWarmUpTimeoutMs ?? 60_000);
          swaps.set(site.resourceId(), {
            timestampUtc: new Date(ctx.clock.now()).toISOString(),
            sourceSlotName: source,
            destinationSlotName: target,
          });
        } finally {
          swapping.delete(site.resourceId());
        }
      });
      const where = `${ctx.url()}/subscriptions/${req.params.sub}/providers/Microsoft.Web/locations/${encodeURIComponent(site.definition.location)}`;
      const apiVersion = String((req.query as Record<string, unknown>)['api-version']);
      return reply
        .code(202)
        .header('azure-asyncoperation', `${where}/operations/${id}?api-version=${apiVersion}`)
        .header('location', `${where}/operationResults/${id}?api-version=${apiVersion}`)
        .header('retry-after', '1')
        .send();
    });

    type OperationParams = { Params: { sub: string; location: string; id: string } };
    const operationsPath = '/subscriptions/:sub/providers/Microsoft.Web/locations/:location';
    app.get<OperationParams>(`${operationsPath}/operations/:id`, (req, reply) => {
      if (!armPreflight(ctx, req, reply)) return reply;
      const state = operations.get(req.params.id);
      if (!state) return armError(reply, 404, 'OperationNotFound', `No operation ${req.params.id}.`);
      return { id: req.url.split('?')[0], name: req.params.id, ...state };
    });
    app.get<OperationParams>(`${operationsPath}/operationResults/:id`, (req, reply) => {
      if (!armPreflight(ctx, req, reply)) return reply;
      const state = operations.get(req.params.id);
      if (!state) return armError(reply, 404, 'OperationNotFound', `No operation ${req.params.id}.`);
      if (state.status === 'InProgress') return reply.code(202).header('retry-after', '1').send();
      if (state.status === 'Failed') return armError(reply, 409, state.error.code, state.error.message);
      return reply.code(200).send();
    });

    return {
      close: async () => {
        await operations.idle();
        for (const site of sites.values()) await site.close();
      },
    };
  };
  const regionOf = (resourceId: string): string | undefined => {
    const [, sub = '', rg = '', name = '', slot = productionSlot] =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/sites\/([^/]+)(?:\/slots\/([^/]+))?$/i.exec(
        resourceId,
      ) ?? [];
    const site = sites.get(siteKey(sub, rg, name));
    const slots = [...(site?.slots.keys() ?? [])].map((s) => s.toLowerCase());
    return site && slots.includes(slot.toLowerCase()) ? site.region : undefined;
  };
  return { module, sites, operations, regionOf };
}

export function siteKey(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${subscriptionId}/${resourceGroup}/${name}`.toLowerCase();
}

function parse<T extends z.ZodType>(schema: T, body: unknown, reply: FastifyReply): z.infer<T> | undefined {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  void armError(
    reply,
    400,
    'BadRequest',
    parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
  );
  return undefined;
}
