import { describe, expect, test } from 'vitest';
import { findFieldValueStop, findTargetStop, NO_WORDS, wordsOf } from './control-byte-scan.js';

function naive(bytes: Uint8Array, from: number, end: number, isStop: (c: number) => boolean) {
  for (let i = from; i < end; i++) if (isStop(bytes[i]!)) return i;
  return end;
}

const valueStop = (c: number) => (c < 0x20 ? c !== 0x09 : c === 0x7f);
const targetStop = (c: number) => c <= 0x20 || c === 0x7f;

/** A 48-byte view at every alignment of its backing buffer, filled with `fill`. */
function viewsAtEveryAlignment(fill: number): Uint8Array[] {
  return [0, 1, 2, 3].map((offset) => new Uint8Array(new ArrayBuffer(64), offset, 48).fill(fill));
}

describe('word-at-a-time control byte scans agree with a byte loop', () => {
  const stops = [0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x7f];
  for (const stop of stops) {
    test(`byte 0x${stop.toString(16)} at every position, alignment and start`, () => {
      for (const view of viewsAtEveryAlignment(0x61)) {
        const words = wordsOf(view);
        for (let at = 0; at < view.length; at++) {
          view[at] = stop;
          for (const from of [0, 1, 2, 3, 5, at]) {
            for (const end of [view.length, at + 1, at]) {
              if (from > end) continue;
              expect(findFieldValueStop(view, words, from, end)).toBe(
                naive(view, from, end, valueStop),
              );
              expect(findFieldValueStop(view, NO_WORDS, from, end)).toBe(
                naive(view, from, end, valueStop),
              );
              expect(findTargetStop(view, words, from, end)).toBe(
                naive(view, from, end, targetStop),
              );
            }
          }
          view[at] = 0x61;
        }
      }
    });
  }

  test('every byte value at every position, amid VCHAR and obs-text that the word test flags', () => {
    // 0x80-0x9f and 0xff look like CTL and DEL to the value scan's word test (it masks the high
    // bit): the byte loop must clear them, and nothing may be missed.
    for (const fill of [0x61, 0x9f, 0xff]) {
      for (const view of viewsAtEveryAlignment(fill)) {
        const words = wordsOf(view);
        for (let byte = 0; byte < 256; byte++) {
          for (let at = 0; at < view.length; at++) {
            view[at] = byte;
            expect(findFieldValueStop(view, words, 0, view.length)).toBe(
              naive(view, 0, view.length, valueStop),
            );
            expect(findTargetStop(view, words, 0, view.length)).toBe(
              naive(view, 0, view.length, targetStop),
            );
            view[at] = fill;
          }
        }
      }
    }
  });

  test('HTABs spread over many words are skipped; obs-text and VCHAR never stop a value', () => {
    for (const view of viewsAtEveryAlignment(0x09)) {
      for (let k = 0; k < view.length; k += 3) view[k] = 0x80 + k;
      view[view.length - 2] = 0x0d;
      expect(findFieldValueStop(view, wordsOf(view), 0, view.length)).toBe(view.length - 2);
    }
  });
});
