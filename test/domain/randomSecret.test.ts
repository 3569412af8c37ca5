import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeSecretSpecProblem,
  maxSecretLength,
  namedAlphabets,
  randomSecret,
} from '../../src/domain/randomSecret';
import type { Alphabet, ByteSource } from '../../src/domain/randomSecret';

/** A byte source that hands out `values` in order, then fails: the test knows every byte drawn. */
function bytesOf(values: number[]): ByteSource & { drawn: number } {
  let next = 0;
  const source = (size: number): Uint8Array => {
    if (next + size > values.length) {
      // Asked for more than the test planned: give what is left, the loop asks again.
      if (next >= values.length) throw new Error('the test ran out of bytes');
      size = values.length - next;
    }
    source.drawn += size;
    return Uint8Array.from(values.slice(next, (next += size)));
  };
  source.drawn = 0;
  return source;
}

describe('making a random secret', () => {
  const shapes: { rule: string; alphabet: Alphabet; length: number; pattern: RegExp }[] = [
    { rule: 'base64url', alphabet: 'base64url', length: 43, pattern: /^[A-Za-z0-9_-]{43}$/ },
    { rule: 'alphanumeric', alphabet: 'alphanumeric', length: 32, pattern: /^[A-Za-z0-9]{32}$/ },
    { rule: 'hex', alphabet: 'hex', length: 64, pattern: /^[0-9a-f]{64}$/ },
    { rule: 'an explicit set', alphabet: { characters: 'xyz!' }, length: 20, pattern: /^[xyz!]{20}$/ },
    { rule: 'one character', alphabet: 'hex', length: 1, pattern: /^[0-9a-f]$/ },
    {
      rule: 'the longest allowed',
      alphabet: 'alphanumeric',
      length: maxSecretLength,
      pattern: new RegExp(`^[A-Za-z0-9]{${maxSecretLength}}$`),
    },
  ];
  for (const s of shapes) {
    it(`makes ${s.length} characters of ${s.rule}, each from the alphabet`, () => {
      assert.match(randomSecret({ length: s.length, alphabet: s.alphabet }), s.pattern);
    });
  }

  it('keeps characters outside the basic plane whole', () => {
    const value = randomSecret({ length: 50, alphabet: { characters: '🔑🔒' } });
    assert.equal(Array.from(value).length, 50);
    assert.ok(Array.from(value).every((c) => c === '🔑' || c === '🔒'));
  });

  it('uses every character of a small alphabet in a long value (a missing one has odds below 1e-100)', () => {
    const value = randomSecret({ length: 4096, alphabet: 'hex' });
    assert.deepEqual(new Set(value), new Set(namedAlphabets.hex));
  });

  it('makes a different value each time', () => {
    const values = new Set(
      Array.from({ length: 20 }, () => randomSecret({ length: 32, alphabet: 'base64url' })),
    );
    assert.equal(values.size, 20);
  });

  it('maps a byte below the largest multiple of the alphabet size to the character it indexes', () => {
    // Three characters: bytes 0–254 map (255 = 85 × 3), byte % 3 picks the character.
    assert.equal(
      randomSecret({ length: 4, alphabet: { characters: 'abc' } }, bytesOf([0, 1, 2, 254])),
      'abcc',
    );
  });

  it('skips a byte at or above the largest multiple of the alphabet size, so no character is favoured', () => {
    const bytes = bytesOf([255, 4, 255, 255, 5]);
    assert.equal(randomSecret({ length: 2, alphabet: { characters: 'abc' } }, bytes), 'bc');
    assert.equal(bytes.drawn, 5);
  });

  it('skips nothing when the alphabet size divides 256', () => {
    assert.equal(randomSecret({ length: 3, alphabet: 'base64url' }, bytesOf([0, 62, 255])), 'A-_');
  });
});

describe('checking a random secret spec', () => {
  const rows: { rule: string; length: number; alphabet: Alphabet; problem: RegExp | undefined }[] = [
    { rule: 'a named alphabet', length: 32, alphabet: 'base64url', problem: undefined },
    { rule: 'two distinct characters', length: 32, alphabet: { characters: '01' }, problem: undefined },
    {
      rule: 'an empty alphabet',
      length: 32,
      alphabet: { characters: '' },
      problem: /at least two characters/,
    },
    {
      rule: 'a one-character alphabet',
      length: 32,
      alphabet: { characters: 'a' },
      problem: /at least two characters/,
    },
    {
      rule: 'a character named twice',
      length: 32,
      alphabet: { characters: 'abca' },
      problem: /names "a" more than once/,
    },
    {
      rule: 'more than 256 characters',
      length: 32,
      alphabet: { characters: String.fromCharCode(...Array.from({ length: 257 }, (_, i) => 0x100 + i)) },
      problem: /at most 256/,
    },
    {
      rule: 'exactly 256 characters',
      length: 32,
      alphabet: { characters: String.fromCharCode(...Array.from({ length: 256 }, (_, i) => 0x100 + i)) },
      problem: undefined,
    },
    { rule: 'a length of zero', length: 0, alphabet: 'hex', problem: /from 1 to 4096/ },
    { rule: 'a fractional length', length: 12.5, alphabet: 'hex', problem: /whole number/ },
    {
      rule: 'a length past the most',
      length: maxSecretLength + 1,
      alphabet: 'hex',
      problem: /from 1 to 4096/,
    },
    {
      rule: 'an unknown alphabet name',
      length: 32,
      alphabet: 'base32' as Alphabet,
      problem: /one of base64url, alphanumeric, hex or \{ characters \}/,
    },
  ];
  for (const r of rows) {
    it(`${r.problem === undefined ? 'accepts' : 'refuses'} ${r.rule}`, () => {
      const problem = describeSecretSpecProblem({ length: r.length, alphabet: r.alphabet });
      if (r.problem === undefined) assert.equal(problem, undefined);
      else {
        assert.match(problem ?? '', r.problem);
        assert.throws(() => randomSecret({ length: r.length, alphabet: r.alphabet }), r.problem);
      }
    });
  }
});
