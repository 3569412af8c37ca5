import { isIP } from 'node:net';

/**
 * Whether `url` names this machine: `localhost`, a `*.localhost` name (RFC 6761 keeps both on the
 * loopback interface) or a loopback address. Anything else may be Azure.
 */
export function isOnThisMachine(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * What stops `SHEPHERD_SANDBOX` from being accepted: each endpoint (named by its setting) that is
 * unset or not on this machine. The switch turns off checks that protect tokens against a forged
 * sign-in authority or vault, so it is taken only when every endpoint is the local stand-in.
 */
export function sandboxEndpointProblems(endpoints: Record<string, string | undefined>): string[] {
  return Object.entries(endpoints).flatMap(([setting, url]) => {
    if (url === undefined)
      return [`SHEPHERD_SANDBOX: is true, but ${setting} is not set; point it at the sandbox`];
    if (isOnThisMachine(url)) return [];
    return [
      `SHEPHERD_SANDBOX: is true, but ${setting} (${url}) is not on this machine; the switch turns Azure's sign-in checks off, so it is only for the local sandbox`,
    ];
  });
}
