import { z } from 'zod';

/**
 * The Entra app role that lets a caller of the function-key restore route replace an existing
 * database, when App Service authentication is on. Define it on the app registration Easy Auth uses
 * and assign it to the people (or groups, or applications) who may do so.
 */
export const adminRole = 'Shepherd.Admin';

/** Which key the route asked for: who the caller is when App Service authentication does not say. */
export type KeyLevel = 'function' | 'admin';

const keyHolder: Record<KeyLevel, string> = {
  function: 'a holder of the function key',
  admin: 'a holder of the admin key',
};

/** What App Service authentication puts, base64-encoded JSON, in `x-ms-client-principal`. */
const clientPrincipal = z.object({
  role_typ: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })),
});

/** Entra puts app roles in `roles` claims; the principal's `role_typ` names the role claim type too. */
const entraRoleClaim = 'roles';

/**
 * Who asked, for the record: the principal App Service authentication signed in, when it is on
 * (`WEBSITE_AUTH_ENABLED`, where the platform sets the `x-ms-client-principal*` headers and strips any
 * a caller sent); otherwise, or for a caller it let through unsigned, the holder of the route's key.
 * Without Easy Auth the headers are whatever the caller wrote, so they are not read at all.
 */
export function callerOf(headers: Headers, easyAuthEnabled: boolean, key: KeyLevel = 'function'): string {
  const name = easyAuthEnabled ? headers.get('x-ms-client-principal-name')?.trim() : undefined;
  return name === undefined || name === '' ? keyHolder[key] : name;
}

/**
 * Whether App Service authentication (when it is on) signed the caller in with the app role `role`.
 * A missing or unreadable principal has no role.
 */
export function callerHasRole(headers: Headers, easyAuthEnabled: boolean, role: string): boolean {
  const header = easyAuthEnabled ? headers.get('x-ms-client-principal') : null;
  if (header === null) return false;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return false;
  }
  const principal = clientPrincipal.safeParse(decoded);
  if (!principal.success) return false;
  const roleTypes = new Set([entraRoleClaim, principal.data.role_typ]);
  return principal.data.claims.some((claim) => roleTypes.has(claim.typ) && claim.val === role);
}
