/**
 * How the apps are run: from their TypeScript sources with tsx and the `@lb/source` condition (the
 * way each app's `pnpm start` runs it, no build needed), or as the bundled `dist/bin.js`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The monorepo root, found from this file (packages/test-kit/src/), so any cwd works. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type AppName = 'server' | 'balancer' | 'client' | 'demo';

/** The installed name of each app's bin, for messages. */
export const PROGRAM_NAMES: Readonly<Record<AppName, string>> = {
  server: 'lb-server',
  balancer: 'lb-balancer',
  client: 'lb-client',
  demo: 'lb-demo',
};

/** `source`: src/bin.ts through tsx; `dist`: the bundled dist/bin.js (built beforehand). */
export type AppBuild = 'source' | 'dist';

export function appDir(app: AppName): string {
  return join(REPO_ROOT, 'apps', app);
}

// Resolved once, as a URL, so `--import` works whatever the child's cwd is.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Node's arguments that run `app` with `args` (absolute paths: the cwd is free). */
export function appNodeArgs(
  app: AppName,
  args: readonly string[],
  build: AppBuild = 'source',
): string[] {
  const dir = appDir(app);
  return build === 'dist'
    ? [join(dir, 'dist/bin.js'), ...args]
    : ['--conditions=@lb/source', '--import', TSX, join(dir, 'src/bin.ts'), ...args];
}
