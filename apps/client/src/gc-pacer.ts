/**
 * Keeps the client's memory flat while bytes stream through. The fragment connections read into
 * one reused buffer each, but every chunk still leaves a little garbage on the JS heap (views,
 * parser events, promises) and the probes' reads arrive in fresh buffers; V8 sees too little
 * allocation to collect often and lets its young generation grow instead. A minor GC (a scavenge:
 * about a millisecond for our small young generation) every few MiB received keeps the peak RSS of
 * a 1 GiB download about 3 MB lower (docs/benchmarks/client.md).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const DEFAULT_GC_EVERY_BYTES = 4 * 1024 * 1024;

type MinorGc = (options: { type: 'minor' }) => void;

let collector: MinorGc | null | undefined;

/** V8's gc(), exposed once for this process; null where the runtime refuses. */
function minorGc(): MinorGc | null {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as MinorGc;
    } catch {
      collector = null;
    }
  }
  return collector;
}

/** A callback to feed with received byte counts; it runs a minor GC every `everyBytes`. */
export function createGcPacer(everyBytes = DEFAULT_GC_EVERY_BYTES): (bytes: number) => void {
  const gc = minorGc();
  if (gc === null) return () => {};
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < everyBytes) return;
    since = 0;
    gc({ type: 'minor' });
  };
}
