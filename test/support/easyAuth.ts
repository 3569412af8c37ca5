/** Entra's role claim type, as App Service authentication names it in the principal's `role_typ`. */
const roleClaimType = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';

/**
 * The headers App Service authentication adds for a caller it signed in with Microsoft Entra:
 * `x-ms-client-principal-name`, and `x-ms-client-principal` (base64 JSON of the token's claims, app
 * roles as `roles` claims). Without Easy Auth, anyone can send the same: a forgery.
 */
export function signedIn(name: string, roles: string[] = []): Record<string, string> {
  const principal = {
    auth_typ: 'aad',
    name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    role_typ: roleClaimType,
    claims: [
      { typ: 'name', val: name },
      { typ: 'preferred_username', val: name },
      ...roles.map((val) => ({ typ: 'roles', val })),
    ],
  };
  return {
    'x-ms-client-principal-name': name,
    'x-ms-client-principal-idp': 'aad',
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64'),
  };
}
