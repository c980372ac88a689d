/**
 * The hashing experiments' keys: `count` distinct paths, each a small real file, written once per
 * bench run into the work directory and shared by A-1 to A-4.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentContext } from '../experiment-context.js';
import { keyPath, writeKeyCorpus } from '../payload-file.js';

/** Big enough for a meaningful probe transfer, small enough to be free. */
const PROBE_BYTES = 16 * 1024;

export async function ensureKeyCorpus(
  context: ExperimentContext,
): Promise<{ root: string; keys: string[] }> {
  const count = context.options.hashing.requests;
  const root = join(context.workDir, `keys-${count}`);
  if (!existsSync(join(root, 'probe.bin'))) {
    context.reporter.note(`writing ${count} key files`);
    await writeKeyCorpus(root, count, PROBE_BYTES);
  }
  return { root, keys: Array.from({ length: count }, (_, index) => keyPath(index)) };
}
