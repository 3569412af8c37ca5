import type { Notice } from '../domain/notice';
import type { RotationStatus } from './rotationModel';

/** What a rotation's notice says: its line for a chat channel, and the rotation for scripts. */
export interface RotationNotice extends Notice {
  rotation: Pick<
    RotationStatus,
    'rotationId' | 'secret' | 'outcome' | 'reason' | 'version' | 'previousVersion'
  >;
}

const outcomeWords: Record<NonNullable<RotationStatus['outcome']>, string> = {
  rotated: 'was rotated',
  restored: 'was not rotated: its previous value is back',
  refused: 'was not rotated, to keep a consumer working',
  failed: 'could NOT be rotated',
};

/** The headline's words, shorter than the text's. */
const outcomeTitles: Record<NonNullable<RotationStatus['outcome']>, string> = {
  rotated: 'rotated',
  restored: 'not rotated, previous value back',
  refused: 'not rotated, to keep a consumer working',
  failed: 'could NOT be rotated',
};

/** The notice for a rotation that has ended; it names the secret, never its value. */
export function rotationNotice(status: RotationStatus): RotationNotice {
  const urgent = status.urgent === true;
  const text = `secret ${status.secret} ${status.outcome ? outcomeWords[status.outcome] : `is ${status.phase}`}${status.reason ? `: ${status.reason}` : ''}.`;
  const { rotationId, secret, outcome, reason, version, previousVersion } = status;
  return {
    text: urgent ? `URGENT: ${text}` : text,
    urgent,
    title: `Secret ${secret}: ${outcome ? outcomeTitles[outcome] : status.phase}`,
    facts: [
      { name: 'Secret', value: secret },
      { name: outcome ? 'Outcome' : 'Phase', value: outcome ?? status.phase },
      ...(reason === undefined ? [] : [{ name: 'Reason', value: reason }]),
      ...(version ? [{ name: 'Version', value: version }] : []),
      ...(previousVersion ? [{ name: 'Previous version', value: previousVersion }] : []),
      { name: 'Rotation', value: rotationId },
    ],
    rotation: {
      rotationId,
      secret,
      ...(outcome === undefined ? {} : { outcome }),
      ...(reason === undefined ? {} : { reason }),
      ...(version === undefined ? {} : { version }),
      ...(previousVersion === undefined ? {} : { previousVersion }),
    },
  };
}
