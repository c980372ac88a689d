/**
 * The CLI bundled into one ESM file by @lb/test-kit's `bundleApp`, for the tests and the bench,
 * which start the client many times: a bundle starts far faster than tsx compiles TypeScript.
 */
import { appDir, bundleApp } from '@lb/test-kit';

export const APP_DIR = appDir('client');

export function buildClientBundle(outPath: string): Promise<string> {
  return bundleApp('client', outPath);
}
