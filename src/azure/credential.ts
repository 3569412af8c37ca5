import { DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';

/**
 * The credential every Azure adapter signs in with. In Azure that is the function app's managed
 * identity, which `DefaultAzureCredential` finds with its defaults.
 *
 * Pass `authorityHost` only when something other than Microsoft Entra issues the tokens (the
 * sandbox). Entra's own hosts are known to MSAL; any other host would make it ask
 * login.microsoftonline.com whether the host is a valid authority ("instance discovery") before every
 * first token, which fails offline and would send the sandbox's address to Microsoft. So a custom
 * host also turns that lookup off. The sandbox's identity then comes from `AZURE_TENANT_ID`,
 * `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`, which the environment credential, first in the chain,
 * reads.
 */
export function createAzureCredential(options: { authorityHost?: string }): TokenCredential {
  const { authorityHost } = options;
  if (authorityHost === undefined) return new DefaultAzureCredential();
  return new DefaultAzureCredential({ authorityHost, disableInstanceDiscovery: true });
}
