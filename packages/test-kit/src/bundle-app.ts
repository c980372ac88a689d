/**
 * Builds an app's src/bin.ts into one ESM file (workspace packages read from src/ through the
 * `@lb/source` condition, npm dependencies inlined), for suites and benches that start an app
 * many times: a bundle starts in a fraction of the time tsx needs to compile TypeScript on a busy
 * machine. Built from the same sources, so it runs exactly the code in src/.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type AppName, appDir } from './apps.js';

export async function bundleApp(app: AppName, outPath: string): Promise<string> {
  const { build } = await import('tsup');
  await mkdir(dirname(outPath), { recursive: true });
  const name = basename(outPath).replace(/\.mjs$/, '');
  await build({
    entry: { [name]: join(appDir(app), 'src/bin.ts') },
    outDir: dirname(outPath),
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
  return outPath;
}
