import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';

const sourceFirst = ['@lb/source', 'module', 'node', 'import', 'default'];

// In CI every package also writes a JSON report, which .ci/summarize-tests.mjs totals into one line.
const reporters = process.env.CI
  ? ['default', ['json', { outputFile: `../../.tmp/vitest/${basename(process.cwd())}.json` }]]
  : ['default'];

/** Tests read every workspace package from its src/ through the `@lb/source` condition. */
export const sharedVitestConfig = defineConfig({
  resolve: { conditions: sourceFirst },
  ssr: { resolve: { conditions: sourceFirst } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // biome-ignore lint/suspicious/noExplicitAny: vitest's reporter tuple type is not exported
    reporters: reporters as any,
  },
});
