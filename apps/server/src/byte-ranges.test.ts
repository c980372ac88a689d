import { describe, expect, it } from 'vitest';
import { corruptInPlace } from './body-aids.js';
import { coalesceRanges, layoutMultipart } from './byte-ranges.js';

describe('coalesceRanges', () => {
  it('sorts and merges overlapping and adjacent ranges', () => {
    expect(
      coalesceRanges([
        { start: 50, end: 59 },
        { start: 0, end: 9 },
        { start: 10, end: 19 },
        { start: 5, end: 7 },
        { start: 30, end: 39 },
      ]),
    ).toEqual([
      { start: 0, end: 19 },
      { start: 30, end: 39 },
      { start: 50, end: 59 },
    ]);
  });

  it('does not mutate its input', () => {
    const input = [
      { start: 0, end: 5 },
      { start: 3, end: 9 },
    ];
    coalesceRanges(input);
    expect(input).toEqual([
      { start: 0, end: 5 },
      { start: 3, end: 9 },
    ]);
  });
});

describe('layoutMultipart', () => {
  it('frames each part and knows the exact length', () => {
    const layout = layoutMultipart(
      [
        { start: 0, end: 1 },
        { start: 5, end: 5 },
      ],
      10,
      'text/plain',
      'BOUNDARY',
    );
    const data = Buffer.from('0123456789');
    const body = Buffer.concat([
      ...layout.parts.flatMap((part) => [part.framing, data.subarray(part.start, part.end + 1)]),
      layout.closing,
    ]);
    expect(body.toString('latin1')).toBe(
      '--BOUNDARY\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n01' +
        '\r\n--BOUNDARY\r\nContent-Type: text/plain\r\nContent-Range: bytes 5-5/10\r\n\r\n5' +
        '\r\n--BOUNDARY--\r\n',
    );
    expect(layout.length).toBe(body.length);
  });
});

describe('corruptInPlace', () => {
  it('flips the first byte and every 4096th after it, across chunk boundaries', () => {
    const first = Buffer.alloc(5000);
    corruptInPlace(first, 0);
    expect(first[0]).toBe(0xff);
    expect(first[4096]).toBe(0xff);
    expect(first.filter((byte) => byte !== 0).length).toBe(2);
    const next = Buffer.alloc(5000);
    corruptInPlace(next, 5000);
    // Body offset 8192 is at index 3192 of this chunk.
    expect(next[3192]).toBe(0xff);
    expect(next.filter((byte) => byte !== 0).length).toBe(1);
  });
});
