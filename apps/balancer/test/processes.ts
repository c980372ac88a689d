/**
 * Real processes for the end-to-end tests: lb-server mirrors and the lb-balancer bin itself, both
 * run from source the way `pnpm start` runs them, plus small raw-socket helpers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BALANCER_DIR = fileURLToPath(new URL('../', import.meta.url));
export const SERVER_DIR = fileURLToPath(new URL('../../server/', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Absolute paths, so the balancer can run from any directory (config paths are relative to it). */
const SOURCE_ARGS = ['--conditions=@lb/source', '--import', TSX, join(BALANCER_DIR, 'src/bin.ts')];
const SERVER_ARGS = ['--conditions=@lb/source', '--import', TSX, join(SERVER_DIR, 'src/bin.ts')];

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export interface LbServer {
  host: string;
  port: number;
  /** `host:port` */
  id: string;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startLbServer(
  root: string,
  extraArgs: string[] = [],
  port = 0,
): Promise<LbServer> {
  const child = spawn(
    process.execPath,
    [...SERVER_ARGS, '--root', root, '--port', String(port), ...extraArgs],
    {
      cwd: SERVER_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
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
      if (isRunning(child)) child.kill(signal);
      await exited;
    },
  };
}

/** A temporary directory holding `test.jpg` (deterministic bytes) and anything else given. */
export async function makeRoot(
  files: Record<string, Buffer | string> = {},
  probeFileSize = 256 * 1024,
): Promise<{ dir: string; probeFile: Buffer; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-balancer-'));
  const probeFile = Buffer.alloc(probeFileSize);
  for (let i = 0; i < probeFileSize; i++) probeFile[i] = (i * 131 + (i >> 9)) & 0xff;
  await writeFile(join(dir, 'test.jpg'), probeFile);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return { dir, probeFile, remove: () => rm(dir, { recursive: true, force: true }) };
}

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
 * Starts `lb-balancer ARGS` and resolves once it printed `listening on` (and `admin on` when
 * `--admin-port` is among the args), or with `--json` its `listening` event. Rejects with the output if it exits first.
 */
export async function startBalancer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { fdLimit?: number } = {},
): Promise<RunningBalancer> {
  // With an fd limit, a shell raises the soft limit (up to the hard one) and execs node in place.
  const child =
    options.fdLimit === undefined
      ? spawn(process.execPath, [...SOURCE_ARGS, ...args], {
          cwd: BALANCER_DIR,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, ...env },
        })
      : spawn(
          '/bin/sh',
          [
            '-c',
            `ulimit -n ${options.fdLimit} && exec "$0" "$@"`,
            process.execPath,
            ...SOURCE_ARGS,
            ...args,
          ],
          {
            cwd: BALANCER_DIR,
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, ...env },
          },
        );
  const exitCode = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const wantAdmin = args.includes('--admin-port');
  const { url, adminUrl } = await new Promise<{ url: string; adminUrl: string | undefined }>(
    (resolve, reject) => {
      let url: string | undefined;
      createInterface({ input: child.stdout! }).on('line', (line) => {
        stdout.push(line);
        if (line.startsWith('{"event":"listening"')) {
          // --json: one event carries both addresses.
          const event = JSON.parse(line) as { url: string; adminUrl: string | null };
          resolve({ url: event.url, adminUrl: event.adminUrl ?? undefined });
          return;
        }
        const listening = /^listening on (http:\/\/\S+)$/.exec(line);
        if (listening) url = listening[1];
        const admin = /^admin on (http:\/\/\S+)$/.exec(line);
        if (url !== undefined && (!wantAdmin || admin)) resolve({ url, adminUrl: admin?.[1] });
      });
      void exitCode.then((code) =>
        reject(
          new Error(
            `lb-balancer exited (${code})\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`,
          ),
        ),
      );
    },
  );
  return {
    url,
    port: Number(new URL(url).port),
    adminUrl,
    child,
    stdout,
    stderr,
    async stop(signal = 'SIGTERM') {
      if (isRunning(child)) child.kill(signal);
      return exitCode;
    },
  };
}

/** Runs `lb-balancer ARGS` to completion. */
export function runBalancer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd: string = BALANCER_DIR,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...SOURCE_ARGS, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
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

/** A free port (bound then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
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

/** Is `program` on PATH? (Peers such as curl are optional; tests skip with a reason.) */
export function hasProgram(program: string): boolean {
  return (process.env.PATH ?? '')
    .split(':')
    .some((dir) => dir !== '' && existsSync(join(dir, program)));
}
