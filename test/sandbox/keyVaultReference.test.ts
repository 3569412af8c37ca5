import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeyVaultReference } from '../../dev/sandbox/appService/keyVaultReference';
import type { KeyVaultReference } from '../../dev/sandbox/appService/keyVaultReference';

const version = 'ec96f02080254f109c51a1f14cdb1931';
const latest = (vaultName: string, secretName: string, vaultHost?: string): KeyVaultReference => ({
  vaultName,
  vaultHost,
  secretName,
  secretVersion: undefined,
});

describe('reading an app setting as a Key Vault reference', () => {
  const rows: { case: string; value: string; expected: ReturnType<typeof parseKeyVaultReference> }[] = [
    { case: 'an ordinary value is no reference', value: 'postgres://u:p@db/app', expected: undefined },
    { case: 'an empty value is no reference', value: '', expected: undefined },
    {
      case: 'a SecretUri with a trailing slash follows the latest version',
      value: '@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/mysecret/)',
      expected: latest('myvault', 'mysecret', 'myvault.vault.azure.net'),
    },
    {
      case: 'a SecretUri without the trailing slash follows the latest version too',
      value: '@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/mysecret)',
      expected: latest('myvault', 'mysecret', 'myvault.vault.azure.net'),
    },
    {
      case: 'a SecretUri with a version pins it',
      value: `@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/mysecret/${version})`,
      expected: { ...latest('myvault', 'mysecret', 'myvault.vault.azure.net'), secretVersion: version },
    },
    {
      case: 'a SecretUri keeps the port of its host',
      value: '@Microsoft.KeyVault(SecretUri=https://localhost:8443/secrets/db-url/)',
      expected: latest('localhost', 'db-url', 'localhost:8443'),
    },
    {
      case: 'the VaultName form follows the latest version without SecretVersion',
      value: '@Microsoft.KeyVault(VaultName=myvault;SecretName=mysecret)',
      expected: latest('myvault', 'mysecret'),
    },
    {
      case: 'the VaultName form pins SecretVersion, its keys in any case and order',
      value: `@Microsoft.KeyVault(secretversion=${version}; SECRETNAME=mysecret; VaultName=myvault)`,
      expected: { ...latest('myvault', 'mysecret'), secretVersion: version },
    },
    {
      case: 'a reference without the closing parenthesis',
      value: '@Microsoft.KeyVault(VaultName=v;SecretName=s',
      expected: 'InvalidSyntax',
    },
    {
      case: 'a VaultName form without SecretName',
      value: '@Microsoft.KeyVault(VaultName=myvault)',
      expected: 'InvalidSyntax',
    },
    {
      case: 'an unknown key',
      value: '@Microsoft.KeyVault(VaultName=v;SecretName=s;Version=1)',
      expected: 'InvalidSyntax',
    },
    {
      case: 'a SecretUri that is not https',
      value: '@Microsoft.KeyVault(SecretUri=http://myvault.vault.azure.net/secrets/mysecret/)',
      expected: 'InvalidSyntax',
    },
    {
      case: 'a SecretUri to something other than a secret',
      value: '@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/keys/mykey/)',
      expected: 'InvalidSyntax',
    },
    {
      case: 'a SecretUri with more than a version after the name',
      value: `@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/s/${version}/more)`,
      expected: 'InvalidSyntax',
    },
    {
      case: 'a secret name Key Vault would refuse',
      value: '@Microsoft.KeyVault(VaultName=myvault;SecretName=my_secret)',
      expected: 'InvalidSyntax',
    },
    {
      case: 'a SecretUri beside other keys',
      value: '@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/s/;VaultName=v)',
      expected: 'InvalidSyntax',
    },
  ];
  for (const row of rows) {
    it(row.case, () => {
      assert.deepEqual(parseKeyVaultReference(row.value), row.expected);
    });
  }
});
