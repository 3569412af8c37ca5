import type { ManagedSecret } from '../secretSettings';

/** What the daily scan looks at: every managed secret, as the settings had them when it started. */
export interface SecretScanInput {
  secrets: ManagedSecret[];
}

/** What the scan did for one secret. */
export interface SecretScanResult {
  secret: string;
  action: 'rotationStarted' | 'rotationRunning' | 'alreadyRotated' | 'told' | 'nothingDue' | 'failed';
  detail: string;
}
