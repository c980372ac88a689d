import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every package builds with: ESM + .d.ts from src/.
 * Workspace packages are resolved through the `@lb/source` export condition, so an app
 * build bundles nothing of ours twice and never needs the libraries built first.
 */
export function defineLbConfig(entry: Options['entry'], overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    esbuildOptions(options) {
      options.conditions = ['@lb/source'];
    },
    ...overrides,
  });
}
