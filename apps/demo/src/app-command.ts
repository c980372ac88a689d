/**
 * How the demo runs the other apps: straight from their TypeScript sources with tsx, the same way
 * their own `pnpm start` does, so the demo needs no build step and always shows the current code.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root, found from this file (apps/demo/src/) so the demo works from any cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type AppName = 'server' | 'balancer' | 'client';

/** The installed name of each app's bin, used in headings, prefixes and errors. */
export const PROGRAM_NAMES: Readonly<Record<AppName, string>> = {
  server: 'lb-server',
  balancer: 'lb-balancer',
  client: 'lb-client',
};

export interface AppCommand {
  command: string;
  args: string[];
  cwd: string;
}

/** `node --conditions=@lb/source --import tsx src/bin.ts …args` in apps/<app>. */
export function appCommand(app: AppName, args: readonly string[]): AppCommand {
  return {
    command: process.execPath,
    args: ['--conditions=@lb/source', '--import', 'tsx', 'src/bin.ts', ...args],
    cwd: join(REPO_ROOT, 'apps', app),
  };
}
