/**
 * Keeps the client's memory flat while bytes stream through. Every socket read arrives in a fresh
 * external buffer; the client copies it on (into a fragment buffer or a write stage) and drops it,
 * allocating almost nothing on the JS heap meanwhile, so V8 sees no reason to collect and lets
 * tens of megabytes of dead read buffers pile up before its external-memory GC kicks in (~64 MB
 * over the last one). A minor GC (a scavenge: about a millisecond for our small young generation)
 * every few MiB received frees them right away, which is what keeps the peak RSS of a 1 GiB
 * download under 64 MiB (docs/benchmarks/client.md).
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
