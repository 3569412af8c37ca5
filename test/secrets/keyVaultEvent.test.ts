import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSecretExpiryEvent } from '../../src/functions/payloads/keyVaultEvent';
import { fixture } from '../support/fixtures';

/** Key Vault's published event (with its padded key and value) turned into a near-expiry event. */
function nearExpiry(): Record<string, unknown> {
  const [event] = fixture('eventgrid-keyvault-secretnewversioncreated.eventgrid.json') as Record<
    string,
    unknown
  >[];
  return { ...event, eventType: 'Microsoft.KeyVault.SecretNearExpiry' };
}

describe('Key Vault expiry events', () => {
  it('reads the published payload as Azure sends it, padded key and value and string times included', () => {
    assert.deepEqual(parseSecretExpiryEvent(nearExpiry()), {
      ok: true,
      value: {
        type: 'nearExpiry',
        secretUri: 'https://sample-kv.vault.azure.net/secrets/newsecret',
        vaultName: 'sample-kv',
        name: 'newsecret',
        version: 'ee059b2bb5bc48398a53b168c6cdcb10',
      },
    });
  });

  it('reads the same event as a CloudEvent, and an expired one', () => {
    const { data } = nearExpiry();
    const cloudEvent = {
      specversion: '1.0',
      type: 'Microsoft.KeyVault.SecretExpired',
      source: '/subscriptions/x/resourceGroups/sample-rg/providers/Microsoft.KeyVault/vaults/sample-kv',
      id: '1',
      subject: 'newsecret',
      data,
    };
    const parsed = parseSecretExpiryEvent(cloudEvent);
    assert.equal(parsed.ok && parsed.value.type, 'expired');
  });

  it('names what is wrong with an event of another type or without a version', () => {
    const other = parseSecretExpiryEvent({
      ...nearExpiry(),
      eventType: 'Microsoft.KeyVault.SecretNewVersionCreated',
    });
    assert.equal(other.ok, false);
    assert.match(JSON.stringify(other), /SecretNearExpiry/);
    const event = nearExpiry();
    const missing = parseSecretExpiryEvent({
      ...event,
      data: { ...(event.data as object), 'Version ': undefined, Version: undefined },
    });
    assert.deepEqual(missing.ok ? [] : missing.problems.map((p) => p.path), ['data.Version']);
  });
});
