/** Starts real lb-server processes for the tests (single mode, port 0) and stops them after. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = fileURLToPath(new URL('../../../apps/server/', import.meta.url));

export interface LbServer {
  host: string;
  port: number;
  /** `host:port` */
  id: string;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startLbServer(root: string, extraArgs: string[] = []): Promise<LbServer> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@lb/source',
      '--import',
      'tsx',
      'src/bin.ts',
      '--root',
      root,
      '--port',
      '0',
      ...extraArgs,
    ],
    { cwd: SERVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const address = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^listening on http:\/\/([^:]+):(\d+)$/.exec(line);
      if (match) resolve({ host: match[1]!, port: Number(match[2]) });
    });
    child.once('exit', (code) =>
      reject(new Error(`lb-server exited (${code}): ${stderr.join('')}`)),
    );
  });
  return {
    ...address,
    id: `${address.host}:${address.port}`,
    child,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A temporary directory with a `test.jpg` of `size` bytes (deterministic content). */
export async function makeRoot(
  size = 256 * 1024,
): Promise<{ dir: string; bytes: Buffer; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-probe-'));
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  await writeFile(join(dir, 'test.jpg'), bytes);
  return { dir, bytes, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A port nothing listens on: bind one, close it. */
export async function deadPort(): Promise<number> {
  const net = await import('node:net');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
