import { defineConfig } from 'vitest/config';

/** Tests read every workspace package from its src/ through the `@lb/source` condition. */
export const sharedVitestConfig = defineConfig({
  resolve: { conditions: ['@lb/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@lb/source', 'module', 'node', 'import', 'default'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
