import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every package builds with: ESM + .d.ts from src/.
 * Dependencies, our own `@lb/*` libraries included, stay external: a published app imports the
 * published libraries, so `pnpm -r build` builds them first (it runs in dependency order).
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
    ...overrides,
  });
}
