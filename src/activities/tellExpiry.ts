import type { ExpiryMilestone } from '../domain/expiryNotice';
import type { RotationServices } from '../rotationServices';
import type { ManagedSecret } from '../secretSettings';
import type { Notice } from '../domain/notice';
import { noticesTold, secretTags } from './secretTags';

/** What a notice about a secret's expiry says, besides its line. */
export interface ExpiryNotice extends Notice {
  secret: { name: string; version: string; milestone: ExpiryMilestone; expiresOn: string };
}

export interface TellExpiryInput {
  secret: ManagedSecret;
  version: string;
  expiresOn: string;
  milestone: ExpiryMilestone;
  /** How the expiry stands, e.g. `expires in 7 days`. */
  text: string;
}

/**
 * Tells the people of every consumer of a secret that it expires (or has), then records on the
 * version that this milestone was told, so the next scan does not tell it again.
 */
export function tellExpiry(
  services: RotationServices,
  notify: (target: string, notice: Notice) => Promise<void>,
) {
  return async (input: TellExpiryInput): Promise<void> => {
    const { secret, version, milestone, expiresOn } = input;
    const urgent = milestone === '1day' || milestone === 'expired';
    const line = `secret ${secret.name} ${input.text} (${expiresOn}); Shepherd cannot renew it: its owner must, in Key Vault.`;
    const notice: ExpiryNotice = {
      text: urgent ? `URGENT: ${line}` : line,
      urgent,
      title: `Secret ${secret.name} ${input.text}`,
      facts: [
        { name: 'Secret', value: secret.name },
        { name: 'Version', value: version },
        { name: 'Expires on', value: expiresOn },
      ],
      secret: { name: secret.name, version, milestone, expiresOn },
    };
    for (const target of secret.consumers) await notify(target, notice);
    const current = await services.versions.current(secret.keyVaultSecretUri);
    const earlier = current.version === version ? noticesTold(current.tags) : [];
    const told = new Set([...earlier, milestone]);
    await services.versions.tag(secret.keyVaultSecretUri, version, {
      [secretTags.notices]: [...told].join(','),
    });
  };
}
