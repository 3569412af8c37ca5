/** A traffic routing rule of a production site (`siteConfig.experiments.rampUpRules[]`). */
export interface RampUpRule {
  name: string;
  reroutePercentage: number;
}

export interface RouteChoice {
  /** `self` for production, else the slot's name. */
  target: string;
  /** The routing cookie to set, when the choice is new to the client. */
  setCookie?: string;
}

const cookieName = 'x-ms-routing-name';

function cookieValue(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookieName) return value.join('=');
  }
  return undefined;
}

/**
 * Chooses production or a slot for one request the way App Service does: `?x-ms-routing-name=`
 * opts a client in, the `x-ms-routing-name` cookie pins it, and otherwise the rules' percentages
 * split traffic at random. A slot with a rule (even at 0%) admits opted-in clients; a slot without
 * one does not. `random` is in [0, 1).
 */
export function chooseRoute(
  rules: RampUpRule[],
  query: URLSearchParams,
  cookieHeader: string | undefined,
  random: number,
): RouteChoice {
  const admits = (name: string): boolean =>
    name === 'self' || rules.some((r) => r.name.toLowerCase() === name.toLowerCase());
  const requested = query.get(cookieName);
  if (requested !== null) {
    const target = admits(requested) ? requested.toLowerCase() : 'self';
    return { target, setCookie: routingCookie(target) };
  }
  const pinned = cookieValue(cookieHeader);
  if (pinned !== undefined && admits(pinned)) return { target: pinned.toLowerCase() };

  let threshold = 0;
  for (const rule of rules) {
    threshold += rule.reroutePercentage;
    if (random * 100 < threshold)
      return { target: rule.name.toLowerCase(), setCookie: routingCookie(rule.name.toLowerCase()) };
  }
  return { target: 'self', setCookie: routingCookie('self') };
}

function routingCookie(target: string): string {
  // App Service pins a routed client for about an hour.
  return `${cookieName}=${target}; Path=/; Max-Age=3600; HttpOnly`;
}
