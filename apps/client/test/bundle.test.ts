/**
 * Properties of the bundled command itself (the file the suite runs, built as `dist/bin.js` is).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';

describe('the bundled lb-client', () => {
  it('is pure ASCII, so V8 keeps its source at one byte per character', async () => {
    // One non-ASCII character anywhere (a "→" in a comment esbuild keeps) makes V8 store the
    // whole ~650 KB source as a two-byte string: 0.65 MB more peak RSS for every download.
    const text = await readFile(inject('clientBundle'), 'utf8');
    const offenders = text
      .split('\n')
      .flatMap((line, index) =>
        /[^\x00-\x7f]/.test(line) ? [`${index + 1}: ${line.trim().slice(0, 100)}`] : [],
      );
    expect(offenders).toEqual([]);
  });
});
