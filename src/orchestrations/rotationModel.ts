import type { SiteRef } from '../azure/siteRef';
import type { RotatedSecret } from '../secretSettings';

/** What set a rotation going, and who is recorded as asking. */
export interface RotationRequest {
  via: 'schedule' | 'event' | 'person';
  /** A person (the Easy Auth principal, or the function key's holder), or `shepherd` for the schedule and events. */
  by: string;
  reason: string;
}

/** A consumer of a secret as a rotation needs it: where its app runs and how it shows it is healthy. */
export interface SecretConsumer {
  target: string;
  site: SiteRef;
  /** The site's slots that reference the secret: production, and the slot releases deploy to. */
  slots: string[];
  healthPath: string;
}

/**
 * What a rotation is started with: a snapshot, so replays never see settings change under them. It
 * holds no secret value: values are made, written and read inside the activities that need them.
 */
export interface RotationInput {
  rotationId: string;
  secret: RotatedSecret;
  consumers: SecretConsumer[];
  requestedBy: RotationRequest;
}

export type RotationPhase =
  'inspecting' | 'clearingRole' | 'writing' | 'switching' | 'verifying' | 'restoring' | 'done';

/**
 * How a rotation ended: `rotated` (every consumer proven on the new value), `restored` (a consumer did
 * not verify, so the previous value is current again and works), `refused` (it would have cut off a
 * consumer still using the role it had to change, so nothing was changed), `failed` (it could not be
 * done, or could not be undone: `urgent`).
 */
export type RotationOutcome = 'rotated' | 'restored' | 'refused' | 'failed';

/** How one consumer stands on the new value. */
export interface ConsumerCheck {
  target: string;
  verified: boolean;
  detail: string;
}

/** The rotation's custom status and output: where it stands, and why it ended as it did. */
export interface RotationStatus {
  rotationId: string;
  secret: string;
  kind: RotatedSecret['kind'];
  phase: RotationPhase;
  requestedBy: RotationRequest;
  /** The version that was current when the rotation began; null for a secret never written. */
  previousVersion?: string | null;
  /** The version the rotation wrote. */
  version?: string;
  /** For a two-role rotation: the role that got the new password. */
  role?: string;
  consumers: ConsumerCheck[];
  /** When every consumer was last proven on the value now current. */
  verifiedAt?: string;
  outcome?: RotationOutcome;
  reason?: string;
  /** Set when a consumer may be left without a working value: a person must look now. */
  urgent?: boolean;
  /** The earlier rotation of the same secret, still running, that this one left the work to. */
  deferredTo?: string;
}
