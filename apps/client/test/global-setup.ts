/**
 * Bundles the CLI once (see client-bundle.ts) for the whole suite: it starts a few hundred client
 * processes (the SIGKILL/resume trials alone over a hundred).
 */
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { APP_DIR, buildClientBundle } from './client-bundle.js';

export default async function setup(project: TestProject): Promise<void> {
  const bundle = await buildClientBundle(join(APP_DIR, '.tmp', 'lb-client.test-bundle.mjs'));
  project.provide('clientBundle', bundle);
}

declare module 'vitest' {
  export interface ProvidedContext {
    clientBundle: string;
  }
}
