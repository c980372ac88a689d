import { describe, expect, it } from 'vitest';
import { formatRate, rateBytesPerSecond } from './server-rate.js';

describe('lb-server rates', () => {
  it('reads binary suffixes, as lb-server does', () => {
    expect(rateBytesPerSecond('2M')).toBe(2 * 1024 * 1024);
    expect(rateBytesPerSecond('512K')).toBe(512 * 1024);
    expect(rateBytesPerSecond('1.5M')).toBe(1.5 * 1024 * 1024);
    expect(rateBytesPerSecond('100')).toBe(100);
    expect(() => rateBytesPerSecond('fast')).toThrow('not an lb-server rate: "fast"');
  });

  it('prints them as speeds in binary units', () => {
    expect(formatRate('6M')).toBe('6 MiB/s');
    expect(formatRate('512K')).toBe('512 KiB/s');
    expect(formatRate('100')).toBe('100 B/s');
  });
});
