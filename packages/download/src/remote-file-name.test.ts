import { describe, expect, it } from 'vitest';
import { fileNameFromUrl, isSafeFileName } from './remote-file-name.js';

describe('fileNameFromUrl', () => {
  it.each([
    ['http://h/a/b/movie.iso', 'movie.iso'],
    ['http://h/a%20b.txt?x=1#y', 'a b.txt'],
    ['http://h/dir/', 'index.html'],
    ['http://h', 'index.html'],
    ['http://h/..%2F..%2Fetc', 'download'],
    ['http://h/%E0%A4%A', '%E0%A4%A'],
    ['http://h/a%00b', 'download'],
  ])('%s → %s', (url, name) => {
    expect(fileNameFromUrl(url)).toBe(name);
  });

  it('isSafeFileName refuses separators, dots and controls', () => {
    expect(['a', 'a.b', '..a'].every(isSafeFileName)).toBe(true);
    expect(['', '.', '..', 'a/b', 'a\\b', 'a\nb'].some(isSafeFileName)).toBe(false);
  });
});
