import { mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.ts';

export default mergeConfig(sharedVitestConfig, {
  test: {
    // Builds the CLI once into one file, so the many client processes the tests start do not each
    // pay for compiling TypeScript (see test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
