/**
 * How to start lb-server for managed replicas. Apps never import apps, but running a sibling's bin
 * is fine: in the monorepo that is `apps/server/src/bin.ts` (through tsx, like `pnpm start`), or
 * its build `apps/server/dist/bin.js` when the balancer itself runs from its build; installed
 * elsewhere, the `lb-server` command on PATH.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ServerCommand {
  executable: string;
  /** Arguments before lb-server's own flags. */
  args: string[];
  cwd: string | undefined;
}

export function locateServerCommand(from: string = import.meta.url): ServerCommand {
  const serverDir = fileURLToPath(new URL('../../server/', from));
  const source = `${serverDir}src/bin.ts`;
  const built = `${serverDir}dist/bin.js`;
  const runningFromSource = from.endsWith('.ts');
  if (!runningFromSource && existsSync(built)) {
    return { executable: process.execPath, args: [built], cwd: serverDir };
  }
  if (existsSync(source)) {
    return {
      executable: process.execPath,
      args: ['--conditions=@lb/source', '--import', 'tsx', source],
      cwd: serverDir,
    };
  }
  return { executable: 'lb-server', args: [], cwd: undefined };
}
