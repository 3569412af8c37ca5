import type { DefaultAzureCredentialOptions, TokenCredential } from '@azure/identity';
import { sdk } from './sdk';

/** Where Shepherd signs in: the settings `AZURE_AUTHORITY_HOST` and `SHEPHERD_SANDBOX` (a `Config` has both). */
export interface SignInSettings {
  /** Undefined means Microsoft Entra's public cloud. */
  authorityHost: string | undefined;
  /** Only for the local sandbox, whose endpoints the settings checked to be on this machine. */
  sandbox: boolean;
}

/**
 * The options Shepherd's credential is made with. A sovereign cloud's authority host is passed on
 * and keeps MSAL's instance discovery, which checks that the host is a Microsoft Entra authority.
 * Only the sandbox turns that lookup off: its host is unknown to Microsoft Entra, and asking
 * login.microsoftonline.com about it would fail offline and send the sandbox's address to Microsoft.
 */
export function azureCredentialOptions(settings: SignInSettings): DefaultAzureCredentialOptions {
  const { authorityHost, sandbox } = settings;
  if (authorityHost === undefined) return {};
  return sandbox ? { authorityHost, disableInstanceDiscovery: true } : { authorityHost };
}

/**
 * The credential every Azure adapter signs in with. In Azure that is the function app's managed
 * identity, which `DefaultAzureCredential` finds with its defaults; with the sandbox, its identity
 * comes from `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`, which the environment
 * credential, first in the chain, reads.
 */
export function createAzureCredential(settings: SignInSettings): TokenCredential {
  return new (sdk('@azure/identity').DefaultAzureCredential)(azureCredentialOptions(settings));
}

/**
 * Shepherd's credential as the services hold it from start-up: {@link createAzureCredential}'s,
 * made when the first token is asked for, so that `@azure/identity` and MSAL load then, not at start.
 */
export function azureCredentialOnFirstUse(settings: SignInSettings): TokenCredential {
  return credentialOnFirstUse(() => createAzureCredential(settings));
}

/** A credential that makes the one it stands for at the first token asked for, and asks it every time after. */
export function credentialOnFirstUse(make: () => TokenCredential): TokenCredential {
  let credential: TokenCredential | undefined;
  return { getToken: (scopes, options) => (credential ??= make()).getToken(scopes, options) };
}
