import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** One `type:name:actions` grant of a registry token scope, e.g. `repository:contoso/web:delete`. */
export interface ScopeGrant {
  type: string;
  name: string;
  actions: string[];
}

/** ACR refresh tokens last three hours; the SDK renews five minutes before `exp`, so it needs over one. */
const refreshLifetimeSeconds = 3 * 3600;
const accessLifetimeSeconds = 3600;
const issuer = 'Azure Container Registry';

/**
 * Parses a space-separated registry scope (`registry:catalog:* repository:a/b:pull,delete`). The
 * name sits between the first and the last colon.
 */
export function parseScope(scope: string): ScopeGrant[] | undefined {
  const grants: ScopeGrant[] = [];
  for (const part of scope.split(' ').filter((p) => p !== '')) {
    const first = part.indexOf(':');
    const last = part.lastIndexOf(':');
    if (first <= 0 || last <= first + 1 || last === part.length - 1) return undefined;
    grants.push({
      type: part.slice(0, first),
      name: part.slice(first + 1, last),
      actions: part.slice(last + 1).split(','),
    });
  }
  return grants.length > 0 ? grants : undefined;
}

/** The scope string of one grant, as a challenge names it. */
export function formatScope(grant: ScopeGrant): string {
  return `${grant.type}:${grant.name}:${grant.actions.join(',')}`;
}

/** Whether `grants` cover `needed` (every needed action, or `*`). */
export function allows(grants: ScopeGrant[], needed: ScopeGrant): boolean {
  return grants.some(
    (g) =>
      g.type === needed.type &&
      g.name === needed.name &&
      (g.actions.includes('*') || needed.actions.every((a) => g.actions.includes(a))),
  );
}

interface Claims {
  jti: string;
  iss: string;
  aud: string;
  iat: number;
  nbf: number;
  exp: number;
  grant_type: 'refresh_token' | 'access_token';
  access?: ScopeGrant[];
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The registry's own refresh and access tokens: JWTs (the SDK reads a refresh token's `exp`), signed
 * with a key that lives as long as the sandbox, each for one registry host (`aud`, the challenge's
 * `service`). Lifetimes run on real time, as clients cache tokens by real time.
 */
export class RegistryTokens {
  readonly #key = randomBytes(32);

  refreshToken(service: string): string {
    return this.#sign({ ...this.#times(refreshLifetimeSeconds), aud: service, grant_type: 'refresh_token' });
  }

  accessToken(service: string, access: ScopeGrant[]): string {
    return this.#sign({
      ...this.#times(accessLifetimeSeconds),
      aud: service,
      grant_type: 'access_token',
      access,
    });
  }

  /** Whether `token` is a live refresh token of this registry for `service`. */
  verifyRefresh(token: string, service: string): boolean {
    const claims = this.#verify(token, service);
    return claims?.grant_type === 'refresh_token';
  }

  /** The grants of a live access token of this registry for `service`, if it is one. */
  accessOf(token: string | undefined, service: string): ScopeGrant[] | undefined {
    const claims = token === undefined ? undefined : this.#verify(token, service);
    return claims?.grant_type === 'access_token' ? (claims.access ?? []) : undefined;
  }

  #times(lifetime: number): Pick<Claims, 'jti' | 'iss' | 'iat' | 'nbf' | 'exp'> {
    const now = Math.floor(Date.now() / 1000);
    return { jti: randomUUID(), iss: issuer, iat: now, nbf: now, exp: now + lifetime };
  }

  #sign(claims: Claims): string {
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
    return `${unsigned}.${this.#signature(unsigned).toString('base64url')}`;
  }

  #signature(unsigned: string): Buffer {
    return createHmac('sha256', this.#key).update(unsigned).digest();
  }

  #verify(token: string, service: string): Claims | undefined {
    const [header, payload, signature, ...rest] = token.split('.');
    if (header === undefined || payload === undefined || signature === undefined || rest.length > 0)
      return undefined;
    const expected = this.#signature(`${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    // The signature proves this registry wrote the payload, so its shape is ours.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    return claims.aud === service && claims.exp > Date.now() / 1000 ? claims : undefined;
  }
}
