import { randomBytes } from 'node:crypto';

/** The named alphabets; any other alphabet is given as its characters. */
export const namedAlphabets = {
  /** RFC 4648 §5: safe in URLs, file names and connection strings without escaping. */
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
} as const;

export type AlphabetName = keyof typeof namedAlphabets;

/** What a random secret is made of: a named alphabet, or `{ characters }` listing each one once. */
export type Alphabet = AlphabetName | { characters: string };

export interface RandomSecretSpec {
  /** How many characters, 1 to {@link maxSecretLength}. */
  length: number;
  alphabet: Alphabet;
}

/** Longer than any password or signing key needs, and far below Key Vault's 25 KB value limit. */
export const maxSecretLength = 4096;

/** Fills a buffer with that many random bytes; `crypto.randomBytes` (a CSPRNG) unless a test gives another. */
export type ByteSource = (size: number) => Uint8Array;

/**
 * A random value of `spec.length` characters, each drawn uniformly from the alphabet with bytes from
 * a CSPRNG. A byte maps to a character only below the largest multiple of the alphabet's size that
 * fits in a byte, and is skipped otherwise, so no character is likelier than another (no modulo bias).
 * Throws on a spec that {@link describeSecretSpecProblem} finds wrong.
 */
export function randomSecret(spec: RandomSecretSpec, bytes: ByteSource = randomBytes): string {
  const problem = describeSecretSpecProblem(spec);
  if (problem !== undefined) throw new Error(`Cannot make a random secret: ${problem}.`);
  const characters = alphabetCharacters(spec.alphabet);
  const size = characters.length;
  const limit = 256 - (256 % size);
  const chosen: string[] = [];
  while (chosen.length < spec.length) {
    // Enough bytes for the rest on average, plus the share a rejection costs.
    for (const byte of bytes(Math.ceil(((spec.length - chosen.length) * 256) / limit))) {
      if (byte >= limit) continue;
      chosen.push(characters[byte % size] as string);
      if (chosen.length === spec.length) break;
    }
  }
  return chosen.join('');
}

/**
 * What is wrong with a spec, or undefined: a length out of range, or an alphabet of fewer than two
 * characters (no secret at all), more than 256 (beyond one byte per draw) or naming one twice (which
 * would make that character likelier). For validating settings at start-up.
 */
export function describeSecretSpecProblem(spec: RandomSecretSpec): string | undefined {
  if (!Number.isInteger(spec.length) || spec.length < 1 || spec.length > maxSecretLength)
    return `the length must be a whole number from 1 to ${maxSecretLength}`;
  if (typeof spec.alphabet === 'string') {
    return Object.hasOwn(namedAlphabets, spec.alphabet)
      ? undefined
      : `the alphabet must be one of ${Object.keys(namedAlphabets).join(', ')} or { characters }`;
  }
  const characters = Array.from(spec.alphabet.characters);
  if (characters.length < 2) return 'the alphabet needs at least two characters';
  if (characters.length > 256) return 'the alphabet may have at most 256 characters';
  const repeated = characters.find((c, i) => characters.indexOf(c) !== i);
  return repeated === undefined ? undefined : `the alphabet names "${repeated}" more than once`;
}

/** The alphabet's characters, one per code point, so a character outside the BMP stays whole. */
function alphabetCharacters(alphabet: Alphabet): string[] {
  return Array.from(typeof alphabet === 'string' ? namedAlphabets[alphabet] : alphabet.characters);
}
