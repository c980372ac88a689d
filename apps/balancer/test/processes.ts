/**
 * Real processes for the end-to-end tests: lb-server mirrors and the lb-balancer bin itself, both
 * run from source through @lb/test-kit, plus small raw-socket helpers.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appDir,
  makeTempDir,
  patternBytes,
  type RunningApp,
  removeDir,
  runApp,
  startApp,
  startServer,
  stopAllApps,
} from '@lb/test-kit';
import { afterAll, beforeAll } from 'vitest';

export { freePort, hasProgram, isAlive, peer, statusCodes } from '@lb/test-kit';

// Whatever a test file leaves running is stopped when the file ends.
afterAll(() => stopAllApps());

export const BALANCER_DIR = appDir('balancer');
export const SERVER_DIR = fileURLToPath(new URL('../../server/', import.meta.url));

/** A running lb-server whose `kill` defaults to SIGKILL: a crash, as the failover tests want. */
export interface LbServer extends RunningApp {
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startLbServer(
  root: string,
  extraArgs: string[] = [],
  port = 0,
): Promise<LbServer> {
  const server = await startServer(['--root', root, '--port', String(port), ...extraArgs]);
  return Object.assign(server, {
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      await server.stop(signal);
    },
  });
}

export interface Root {
  dir: string;
  /** The bytes of `test.jpg`, the probe file. */
  probeFile: Buffer;
  remove(): Promise<void>;
}

/** A temporary directory holding `test.jpg` (deterministic bytes) and anything else given. */
export async function makeRoot(
  files: Record<string, Buffer | string> = {},
  probeFileSize = 256 * 1024,
): Promise<Root> {
  const dir = await makeTempDir('lb-balancer-');
  const probeFile = patternBytes(probeFileSize);
  await writeFile(join(dir, 'test.jpg'), probeFile);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return { dir, probeFile, remove: () => removeDir(dir) };
}

/** `makeRoot` for the whole test file: made before its tests, removed after them. */
export function useRoot(files: Record<string, Buffer | string> = {}, probeFileSize?: number): Root {
  let root: Root | undefined;
  beforeAll(async () => {
    root = await makeRoot(files, probeFileSize);
  });
  afterAll(() => root?.remove());
  return {
    get dir() {
      return root!.dir;
    },
    get probeFile() {
      return root!.probeFile;
    },
    remove: () => root!.remove(),
  };
}

/**
 * One lb-server per id (`--id ID`, then `args(index)`) serving `root`, for the whole test file (or
 * describe block): started together before its tests, killed after them.
 */
export function useLbServers(
  root: Root,
  ids: readonly string[],
  args: (index: number) => string[] = () => [],
): LbServer[] {
  const servers: LbServer[] = [];
  beforeAll(async () => {
    servers.push(
      ...(await Promise.all(ids.map((id, i) => startLbServer(root.dir, ['--id', id, ...args(i)])))),
    );
  }, 60_000);
  afterAll(() => Promise.all(servers.map((server) => server.kill())));
  return servers;
}

/** Free ports for clients and admin, and one probe round per hour: only the first runs in a test. */
export const BALANCER_TEST_ARGS: readonly string[] = [
  '--port',
  '0',
  '--admin-port',
  '0',
  '--probe-interval',
  '3600',
];

export interface RunningBalancer {
  url: string;
  port: number;
  adminUrl: string | undefined;
  child: ChildProcess;
  /** Every stdout line so far. */
  stdout: string[];
  stderr: string[];
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `lb-balancer ARGS --json` and resolves once its listening event is printed. Tests of the
 * human output pass `human: true`: then it runs without `--json` and the kit reads the human
 * lines (`listening on`, then `admin on` with `--admin-port`). Rejects with the output if it exits.
 */
export async function startBalancer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { fdLimit?: number; human?: boolean } = {},
): Promise<RunningBalancer> {
  const balancer = await startApp({
    app: 'balancer',
    args,
    env,
    human: options.human ?? false,
    ...(options.fdLimit === undefined ? {} : { fdLimit: options.fdLimit }),
  });
  return {
    url: balancer.url,
    port: balancer.port,
    adminUrl: balancer.adminUrl,
    child: balancer.process.child,
    stdout: balancer.process.stdoutLines,
    stderr: balancer.process.stderrLines,
    stop: balancer.stop,
  };
}

/** Runs `lb-balancer ARGS` to completion. */
export async function runBalancer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd: string = BALANCER_DIR,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runApp({ app: 'balancer', args, env, cwd });
  return { code, stdout, stderr };
}

/**
 * Writes `request` bytes on a fresh connection and collects everything until the server closes,
 * or until `until` says the data so far is complete (then closes itself).
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
  until?: (received: string) => boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (until?.(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(request);
  });
}

/** Number of complete responses in `text` (each head followed by its Content-Length body). */
export function countResponses(text: string): number {
  let count = 0;
  let offset = 0;
  for (;;) {
    const headEnd = text.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) return count;
    const head = text.slice(offset, headEnd);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
    const end = headEnd + 4 + length;
    if (end > text.length) return count;
    count++;
    offset = end;
  }
}

/** Polls `read` until `check` accepts its value; no deadline of its own (the test timeout is it). */
export async function waitFor<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GET/POST on the admin port with fetch (tests may use fetch as a peer). */
export async function admin(
  adminUrl: string,
  path: string,
  options: { method?: string; body?: string; token?: string } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON fields and assert their shapes with expect()
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(`${adminUrl}${path}`, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

export interface WireResponse {
  statusLine: string;
  /** Header fields as `Name: value`, in wire order. */
  fields: string[];
  body: string;
}

/** Splits one raw response (with a Content-Length body) off the front of `text`. */
export function splitResponse(
  text: string,
  headRequest = false,
): { response: WireResponse; rest: string } | null {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const [statusLine = '', ...fields] = text.slice(0, headEnd).split('\r\n');
  const length = headRequest
    ? 0
    : Number(/\r\ncontent-length: (\d+)/i.exec(text.slice(0, headEnd + 2))?.[1] ?? 0);
  const end = headEnd + 4 + length;
  if (end > text.length) return null;
  return {
    response: { statusLine, fields, body: text.slice(headEnd + 4, end) },
    rest: text.slice(end),
  };
}

/**
 * Sends GETs for `targets` on one keep-alive connection, pipelined in batches, and returns the
 * responses in order.
 */
export async function pipelinedGets(
  port: number,
  targets: readonly string[],
  batch = 200,
): Promise<WireResponse[]> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const responses: WireResponse[] = [];
  let buffered = '';
  let waiting: (() => void) | null = null;
  socket.on('data', (chunk) => {
    buffered += chunk.toString('latin1');
    waiting?.();
  });
  for (let start = 0; start < targets.length; start += batch) {
    const slice = targets.slice(start, start + batch);
    socket.write(slice.map((target) => `GET ${target} HTTP/1.1\r\nHost: lb.test\r\n\r\n`).join(''));
    let got = 0;
    while (got < slice.length) {
      const split = splitResponse(buffered);
      if (split === null) {
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
        waiting = null;
        continue;
      }
      responses.push(split.response);
      buffered = split.rest;
      got++;
    }
  }
  socket.destroy();
  return responses;
}

export function header(response: WireResponse, name: string): string | undefined {
  const prefix = `${name.toLowerCase()}: `;
  return response.fields
    .find((field) => field.toLowerCase().startsWith(prefix))
    ?.slice(prefix.length);
}
