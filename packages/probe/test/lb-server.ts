/** Real lb-server processes for the tests (single mode, port 0), through @lb/test-kit. */
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  freePort,
  makeTempDir,
  patternBytes,
  removeDir,
  startServer,
  stopAllApps,
} from '@lb/test-kit';
import { afterAll } from 'vitest';

// Whatever a test file leaves running is stopped when the file ends.
afterAll(() => stopAllApps());

export interface LbServer {
  host: string;
  port: number;
  /** `host:port` */
  id: string;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startLbServer(root: string, extraArgs: string[] = []): Promise<LbServer> {
  const server = await startServer(['--root', root, '--port', '0', ...extraArgs]);
  return {
    host: server.host,
    port: server.port,
    id: server.id,
    child: server.process.child,
    async kill(signal = 'SIGKILL') {
      await server.stop(signal);
    },
  };
}

/** A temporary directory with a `test.jpg` of `size` bytes (deterministic content). */
export async function makeRoot(
  size = 256 * 1024,
): Promise<{ dir: string; bytes: Buffer; remove(): Promise<void> }> {
  const dir = await makeTempDir('lb-probe-');
  const bytes = patternBytes(size);
  await writeFile(join(dir, 'test.jpg'), bytes);
  return { dir, bytes, remove: () => removeDir(dir) };
}

/** A port nothing listens on. */
export const deadPort = freePort;
