/**
 * A Key Vault failure a caller can see: the HTTP status and the `{"error":{"code","message"}}` body
 * Key Vault answers with. Messages follow the service's own wording where it is known.
 */
export class KeyVaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** The `innererror.code` Key Vault adds to some errors, e.g. `SecretDisabled`. */
    readonly innerCode?: string,
  ) {
    super(message);
    this.name = 'KeyVaultError';
  }

  /** The response body, in Key Vault's error shape. */
  toBody(): { error: { code: string; message: string; innererror?: { code: string } } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.innerCode === undefined ? {} : { innererror: { code: this.innerCode } }),
      },
    };
  }
}

/**
 * 401 with the challenge Key Vault sends on every 401. The SDK's first request of a client carries no
 * token on purpose, and learns from this header which tenant and resource to ask a token for.
 */
export function unauthorized(message: string, tenantId: string): KeyVaultError {
  return new KeyVaultError(401, 'Unauthorized', message, {
    'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"`,
  });
}

/** 400 for anything wrong in the request itself: name, query or body. */
export function badParameter(message: string): KeyVaultError {
  return new KeyVaultError(400, 'BadParameter', message);
}

/** 404 for a live secret (or one version of it) that does not exist. */
export function secretNotFound(nameOrId: string): KeyVaultError {
  return new KeyVaultError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this ` +
      'secret you may be able to recover it using the correct recovery command. For help resolving this ' +
      'issue, please see https://go.microsoft.com/fwlink/?linkid=2125182',
  );
}

/** 404 for a recover, purge or get of a deleted secret that is not in the deleted state. */
export function deletedSecretNotFound(name: string): KeyVaultError {
  return new KeyVaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
}

/** 409 for a set on a name that is soft-deleted: it must be recovered or purged first. */
export function secretIsDeleted(name: string): KeyVaultError {
  return new KeyVaultError(
    409,
    'Conflict',
    `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this ` +
      'state, the secret can only be recovered or purged.',
  );
}

/**
 * 403 for reading the value of a disabled version, the latest included: a get without a version does
 * not fall back to an enabled one (the body as recorded from Key Vault in azure-sdk-for-js's
 * keyvault-secrets test `cantgetadisabledsecret`).
 */
export function secretIsDisabled(): KeyVaultError {
  return new KeyVaultError(
    403,
    'Forbidden',
    'Operation get is not allowed on a disabled secret.',
    {},
    'SecretDisabled',
  );
}
