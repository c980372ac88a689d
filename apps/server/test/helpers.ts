/**
 * Shared test plumbing: temporary trees of real files, in-process servers on port 0, raw-socket
 * exchanges with literal bytes, and the CLI as a child process.
 */
import { connect, type Socket } from 'node:net';
import { type HeaderList, ResponseParser } from '@lb/http-wire';
import {
  AppProcess,
  addressOf,
  appDir,
  parseListeningLine,
  runApp,
  stopAllApps,
} from '@lb/test-kit';
import { afterAll } from 'vitest';
import { FileServer, type FileServerOptions } from '../src/file-server.js';

export const APP_DIR = appDir('server');

export { hasProgram, makeTempDir, removeDir, skipReason, writeRandomFile } from '@lb/test-kit';

// Whatever a test file leaves running is stopped when the file ends.
afterAll(() => stopAllApps());

/** A FileServer on 127.0.0.1 with a free port. */
export async function startServer(
  options: Partial<FileServerOptions> & { root: string },
): Promise<{ server: FileServer; port: number }> {
  const server = await FileServer.create({ serverId: 'test', ...options });
  const { port } = await server.listen('127.0.0.1', 0);
  return { server, port };
}

/** Runs `use` against a FileServer with `options`, and closes the server whatever happens. */
export async function withServer<T>(
  options: Partial<FileServerOptions> & { root: string },
  use: (port: number, server: FileServer) => Promise<T>,
): Promise<T> {
  const { server, port } = await startServer(options);
  try {
    return await use(port, server);
  } finally {
    await server.close();
  }
}

export interface ParsedResponse {
  status: number;
  reason: string;
  headers: HeaderList;
  body: Buffer;
  keepAlive: boolean;
}

export interface Exchange {
  responses: ParsedResponse[];
  /** Every byte received. */
  raw: Buffer;
  /** The server closed the connection (FIN or reset) before the exchange ended. */
  closed: boolean;
  /** Body bytes of a response that had started when the connection closed. */
  partialBody: Buffer | null;
}

export interface ExchangeOptions {
  /** Methods of the requests sent, in order (HEAD responses have no body). Default: GET each. */
  methods?: string[];
  /** Stop once this many responses are complete (default: methods.length, or wait for close). */
  responses?: number;
  /** Give up after this long (ms) and report what arrived. */
  timeoutMs?: number;
  /** Send the bytes in pieces with pauses, e.g. for slow-header clients. */
  pieces?: Array<string | Buffer>;
  pauseMs?: number;
}

/** Opens a socket, writes `request` (literal bytes), and parses what comes back. */
export function exchange(
  port: number,
  request: string | Buffer,
  options: ExchangeOptions = {},
): Promise<Exchange> {
  const methods = options.methods ?? [];
  const wanted = options.responses ?? (methods.length > 0 ? methods.length : Infinity);
  const parser = new ResponseParser();
  for (const method of methods) parser.expectResponseTo(method);
  if (methods.length === 0) for (let i = 0; i < 64; i++) parser.expectResponseTo('GET');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const responses: ParsedResponse[] = [];
    let current: { head: ParsedResponse; body: Buffer[] } | null = null;
    let closed = false;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        responses,
        raw: Buffer.concat(chunks),
        closed,
        partialBody: current === null ? null : Buffer.concat(current.body),
      });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 5000);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      let events: ReturnType<ResponseParser['execute']>['events'];
      try {
        events = parser.execute(chunk).events;
      } catch {
        return;
      }
      for (const event of events) {
        if (event.kind === 'head') {
          const h = event.head;
          current = {
            head: {
              status: h.statusCode,
              reason: h.reason,
              headers: h.headers,
              body: Buffer.alloc(0),
              keepAlive: h.keepAlive,
            },
            body: [],
          };
        } else if (event.kind === 'body') {
          current?.body.push(Buffer.from(event.data));
        } else if (current !== null) {
          current.head.body = Buffer.concat(current.body);
          responses.push(current.head);
          current = null;
          if (responses.length >= wanted) finish();
        }
      }
    });
    const onClosed = () => {
      closed = true;
      finish();
    };
    socket.on('end', onClosed);
    socket.on('error', onClosed);
    socket.on('close', onClosed);
    socket.on('connect', async () => {
      if (options.pieces === undefined) {
        socket.write(request);
        return;
      }
      for (const piece of options.pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        await new Promise((r) => setTimeout(r, options.pauseMs ?? 50));
      }
    });
  });
}

/** One GET (or HEAD) over a fresh connection, with extra header lines. */
export async function request(
  port: number,
  target: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<ParsedResponse & { closed: boolean }> {
  const lines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const result = await exchange(
    port,
    `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n${lines}\r\n`,
    { methods: [method] },
  );
  const response = result.responses[0];
  if (response === undefined) {
    throw new Error(`no response to ${method} ${target}: ${result.raw.toString('latin1')}`);
  }
  return { ...response, closed: result.closed };
}

/** Opens a connection and resolves once it is established. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves true if a TCP connection to the port is refused. */
export function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** The CLI (from source) as a child process, with access to its output as it comes. */
export class CliProcess extends AppProcess {
  constructor(
    args: string[],
    options: { stdin?: 'pipe' | 'ignore'; env?: Record<string, string> } = {},
  ) {
    super({
      app: 'server',
      args,
      stdin: (options.stdin ?? 'pipe') === 'pipe',
      ...(options.env === undefined ? {} : { env: options.env }),
    });
  }

  /** Waits until `predicate(stdout)` holds (or fails after `timeoutMs`). */
  async waitFor(predicate: (stdout: string) => boolean, timeoutMs = 30_000): Promise<void> {
    if (predicate(this.stdout)) return;
    await this.waitForLine(() => predicate(this.stdout) || undefined, {
      timeoutMs,
      includePast: false,
    });
  }

  /** Ports of the human `listening on` lines, in order (the subject of these tests). */
  listeningPorts(): number[] {
    return this.stdoutLines.flatMap((line) => {
      const heard = parseListeningLine(line);
      return heard?.kind === 'listening' ? [addressOf(heard.url).port] : [];
    });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.signal(signal);
  }
}

/** Spawns the CLI and waits for it to exit; for the bad-flag cases. */
export async function runCliToExit(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runApp({ app: 'server', args, env });
  return { code, stdout, stderr };
}
