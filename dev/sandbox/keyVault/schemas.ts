import { z } from 'zod';
import { badParameter } from './errors';

/** The newest api-version, which @azure/keyvault-secrets 4.11 sends. */
export const latestApiVersion = '2025-07-01';

/** The data-plane api-versions Key Vault answers to; others get a 400. */
const supportedApiVersions = new Set([
  '2016-10-01',
  '7.0',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '7.5',
  '7.6',
  latestApiVersion,
]);

/** Key Vault's rule for object names: 1–127 letters, digits and dashes. */
const secretName = z.string().regex(/^[0-9a-zA-Z-]{1,127}$/);

/** JSON `null` reads as "not given", as the service's deserializer treats it. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const attributes = z.object({
  enabled: optional(z.boolean()),
  // Epoch seconds, an int32 on the wire.
  nbf: optional(z.number().int()),
  exp: optional(z.number().int()),
});

const common = {
  contentType: optional(z.string()),
  tags: optional(z.record(z.string(), z.string())),
  attributes: optional(attributes),
};

const setSecretBody = z.object({ value: z.string(), ...common });
const updateSecretBody = z.object(common);

const listQuery = z.object({
  maxresults: optional(z.coerce.number().int().min(1).max(25)),
  $skiptoken: optional(z.string()),
});

/** The secret name of a request path, or a 400 naming it. */
export function parseSecretName(name: string): string {
  if (!secretName.safeParse(name).success)
    throw badParameter(`The request URI contains an invalid name: ${name}`);
  return name;
}

/** The api-version of a request, or a 400 when it is missing or one Key Vault does not know. */
export function parseApiVersion(query: unknown): string {
  const version = (query as Record<string, unknown> | undefined)?.['api-version'];
  if (typeof version !== 'string' || version === '') {
    throw badParameter(
      `The api-version query parameter is required. Consider using the latest supported version (${latestApiVersion}).`,
    );
  }
  if (!supportedApiVersions.has(version)) {
    throw badParameter(
      `The specified version (${version}) is not recognized. Consider using the latest supported version (${latestApiVersion}).`,
    );
  }
  return version;
}

export function parseSetSecretBody(body: unknown): z.infer<typeof setSecretBody> {
  return withinTagLimit(parseBody(setSecretBody, body));
}

export function parseUpdateSecretBody(body: unknown): z.infer<typeof updateSecretBody> {
  return withinTagLimit(parseBody(updateSecretBody, body));
}

/**
 * A secret version takes at most 15 tags (docs: about-secrets, "Secret tags"); the 16th is refused
 * with this terse 400 (hashicorp/terraform-provider-azurerm#16780).
 */
const maxTags = 15;

function withinTagLimit<T extends { tags: Record<string, string> | undefined }>(body: T): T {
  if (body.tags !== undefined && Object.keys(body.tags).length > maxTags)
    throw badParameter('Property has invalid value');
  return body;
}

/** `maxresults` (1–25, 25 when absent, as Key Vault pages) and the `$skiptoken` to resume after. */
export function parseListQuery(query: unknown): { maxResults: number; skipToken: string | undefined } {
  const parsed = listQuery.safeParse(query ?? {});
  if (!parsed.success) throw badParameter(`Invalid query: ${describe(parsed.error)}`);
  return { maxResults: parsed.data.maxresults ?? 25, skipToken: parsed.data.$skiptoken };
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined) throw badParameter('The request body is required.');
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badParameter(`Invalid request body: ${describe(parsed.error)}`);
  return parsed.data;
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ');
}
