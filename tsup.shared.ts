import { defineConfig, type Options } from 'tsup';

/** What every build shares: ESM for Node 20, one file per entry. */
const BASE: Options = {
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  splitting: false,
  treeshake: true,
};

/**
 * The one tsup configuration every package builds with: ESM + .d.ts from src/.
 * Dependencies, our own `@lb/*` libraries included, stay external: a published app imports the
 * published libraries, so `pnpm -r build` builds them first (it runs in dependency order).
 */
export function defineLbConfig(entry: Options['entry'], overrides: Options = {}) {
  return defineConfig({ ...BASE, entry, dts: true, clean: true, ...overrides });
}

/** Private workspace packages: an app bundles them into every file it publishes. */
const PRIVATE_KITS = /^@lb\/cli-kit$/;

/**
 * An app: its library entry (src/index.ts) built like a package, and its command (src/bin.ts)
 * bundled into one file with every dependency inlined (workspace libraries from their sources). A
 * command that loads one file instead of hundreds from node_modules starts sooner and peaks lower
 * (lb-client --version: 0.11 s and 53 MB instead of 0.17 s and 61 MB), and it is what the tests and
 * benchmarks run (apps/client/test/client-bundle.ts builds the same way). The two builds run in
 * parallel, so each cleans only what is not the other's.
 */
export function defineLbAppConfig() {
  return defineConfig([
    {
      ...BASE,
      entry: ['src/index.ts'],
      // @lb/cli-kit is private (never published): inline it, its code and its types, so no
      // published file imports it.
      dts: { resolve: [PRIVATE_KITS] },
      clean: ['!bin.*'],
      noExternal: [PRIVATE_KITS],
    },
    {
      ...BASE,
      entry: ['src/bin.ts'],
      dts: false,
      // A map of every inlined dependency would weigh more than the command itself.
      sourcemap: false,
      clean: ['!index.*'],
      noExternal: [/.*/],
      // pino and yargs' helpers are CommonJS inside: give the ESM bundle a require().
      banner: {
        js: "import { createRequire as __lbCreateRequire } from 'node:module'; const require = __lbCreateRequire(import.meta.url);",
      },
      esbuildOptions(options) {
        options.conditions = ['@lb/source'];
      },
    },
  ]);
}
