import { describe, expect, it } from 'vitest';
import { fnv1a } from './fnv1a.js';
import { hashFunctionNames, hashFunctions, isHashFunctionName } from './hash-functions.js';
import { fmix32, murmur3, murmur3Word } from './murmur3.js';
import { sha256Hash } from './sha256-hash.js';

describe('fnv1a', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['b', 0xe70c2de5],
    ['foobar', 0xbf9cf968],
  ])('matches the published FNV-1a 32 vector for %j', (key, expected) => {
    expect(fnv1a(key)).toBe(expected);
  });

  it('hashes the UTF-8 bytes of the key', () => {
    // "é" is C3 A9 in UTF-8: fold both bytes by hand.
    let state = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) state = Math.imul(state ^ byte, 0x01000193);
    expect(fnv1a('é')).toBe(state >>> 0);
  });

  it('seed 0 is the published algorithm and other seeds give other values', () => {
    expect(fnv1a('a', 0)).toBe(0xe40c292c);
    expect(fnv1a('a', 1)).not.toBe(fnv1a('a'));
    expect(fnv1a('a', 1)).not.toBe(fnv1a('a', 2));
  });
});

describe('murmur3', () => {
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['aaa', 0x9747b28c, 0x283e0130],
    ['aa', 0x9747b28c, 0x5d211726],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['ab', 0x9747b28c, 0x74875592],
    ['test', 0, 0xba6bd213],
    ['Hello, world!', 0, 0xc0363e43],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ])('matches the published MurmurHash3_x86_32 vector for %j seed %i', (key, seed, expected) => {
    expect(murmur3(key, seed)).toBe(expected);
  });

  it('murmur3Word equals murmur3 of the word as 4 little-endian bytes', () => {
    for (const [word, seed] of [
      [0, 0],
      [0x64636261, 0x9747b28c], // "abcd"
      [0xdeadbeef, 7],
      [0xffffffff, 0xffffffff],
    ] as const) {
      const bytes = [0, 8, 16, 24].map((shift) => String.fromCharCode((word >>> shift) & 0xff));
      // Only ASCII bytes round-trip through a JS string as single UTF-8 bytes.
      if (bytes.every((c) => c.charCodeAt(0) < 0x80)) {
        expect(murmur3Word(word, seed)).toBe(murmur3(bytes.join(''), seed));
      }
    }
    expect(murmur3Word(0x64636261, 0x9747b28c)).toBe(0xf0478627);
  });

  it('fmix32 is a bijection on a sample and maps 0 to 0', () => {
    expect(fmix32(0)).toBe(0);
    const seen = new Set<number>();
    for (let i = 0; i < 4096; i++) seen.add(fmix32(i * 0x10001));
    expect(seen.size).toBe(4096);
  });
});

describe('sha256Hash', () => {
  it.each([
    ['', 0xe3b0c442],
    ['abc', 0xba7816bf],
  ])('is the first 4 bytes of SHA-256 of %j', (key, expected) => {
    expect(sha256Hash(key)).toBe(expected);
  });

  it('seeds by prefixing the seed bytes', () => {
    expect(sha256Hash('abc', 1)).not.toBe(sha256Hash('abc'));
  });
});

describe('hashFunctions', () => {
  it('lists fnv1a, murmur3 and sha256 by name', () => {
    expect(hashFunctionNames).toEqual(['fnv1a', 'murmur3', 'sha256']);
    expect(hashFunctions.fnv1a('a')).toBe(0xe40c292c);
    expect(isHashFunctionName('murmur3')).toBe(true);
    expect(isHashFunctionName('md5')).toBe(false);
    expect(isHashFunctionName('toString')).toBe(false);
  });

  it.each(hashFunctionNames)('%s returns uint32 values for long and non-ASCII keys', (name) => {
    for (const key of ['', 'x'.repeat(1000), '𝄞 mirror/ファイル.iso']) {
      const value = hashFunctions[name](key);
      expect(Number.isInteger(value) && value >= 0 && value < 2 ** 32).toBe(true);
    }
  });
});
