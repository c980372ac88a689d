import { describe, expect, it } from 'vitest';
import { formatByteSize, parseByteSize } from './byte-size.js';

describe('parseByteSize', () => {
  it.each([
    ['0', 0],
    ['100', 100],
    ['1K', 1024],
    ['4M', 4 * 1024 ** 2],
    ['4m', 4 * 1024 ** 2],
    ['1G', 1024 ** 3],
    ['1.5M', 1.5 * 1024 ** 2],
    ['512KiB', 512 * 1024],
    ['2MB', 2 * 1024 ** 2],
    [' 8M ', 8 * 1024 ** 2],
    ['1.0001', 1],
  ])('%j → %d', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', 'M', '-1', '4T', '4 MB/s', 'fast', '1e3', '0x10', '1,5M', '99999999999999999999'])(
    'rejects %j',
    (text) => {
      expect(parseByteSize(text)).toBeNull();
    },
  );
});

describe('formatByteSize', () => {
  it('uses the largest exact binary unit', () => {
    expect(formatByteSize(4 * 1024 ** 2)).toBe('4 MiB');
    expect(formatByteSize(1024 ** 3)).toBe('1 GiB');
    expect(formatByteSize(1536)).toBe('1536 B');
    expect(formatByteSize(7)).toBe('7 B');
  });
});
