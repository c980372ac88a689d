import { mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.ts';

// The CLI tests start real child processes; on a busy machine that alone can take seconds.
export default mergeConfig(sharedVitestConfig, { test: { testTimeout: 60_000 } });
