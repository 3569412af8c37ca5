import type { ExpiryMilestone } from '../domain/expiryNotice';

export const inspectSecretActivity = 'inspectSecret';
export const roleSessionsActivity = 'roleSessions';
export const writeSecretValueActivity = 'writeSecretValue';
export const restoreSecretVersionActivity = 'restoreSecretVersion';
export const switchConsumerActivity = 'switchConsumer';
export const lookAtConsumerActivity = 'lookAtConsumer';

/** What Key Vault says of a managed secret now, without its value. */
export interface SecretState {
  /** The current version's id; null for a secret never written. */
  version: string | null;
  createdOn?: string;
  expiresOn?: string;
  /** For a two-role secret: the role the current value logs in as, when it can be told. */
  role?: string;
  /** The expiry notices already sent for the current version. */
  told: ExpiryMilestone[];
}
