/**
 * Bundles src/bin.ts (workspace packages read from their src/ through the `@lb/source` condition)
 * into one ESM file that the tests run with plain `node`. The suite starts a few hundred client
 * processes (the SIGKILL/resume trials alone start over a hundred); compiling TypeScript in each
 * with tsx would cost seconds apiece on a busy 2-core machine, the bundle starts in ~0.1 s. It is
 * built from the same sources, so the tests exercise exactly the code in src/.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE_PATH = join(APP_DIR, '.tmp', 'lb-client.test-bundle.mjs');

export default async function setup(project: TestProject): Promise<void> {
  const { build } = await import('tsup');
  await mkdir(dirname(BUNDLE_PATH), { recursive: true });
  await build({
    entry: { 'lb-client.test-bundle': join(APP_DIR, 'src/bin.ts') },
    outDir: dirname(BUNDLE_PATH),
    outExtension: () => ({ js: '.mjs' }),
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    bundle: true,
    noExternal: [/.*/],
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    splitting: false,
    // pino and yargs are CommonJS inside: give the ESM bundle a require().
    banner: {
      js: "import { createRequire as __lbCreateRequire } from 'node:module'; const require = __lbCreateRequire(import.meta.url);",
    },
    esbuildOptions(options) {
      options.conditions = ['@lb/source'];
    },
  });
  project.provide('clientBundle', BUNDLE_PATH);
}

declare module 'vitest' {
  export interface ProvidedContext {
    clientBundle: string;
  }
}
