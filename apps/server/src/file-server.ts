/**
 * One mirror file server: a listener, its connections, and what it serves. The single-server mode
 * runs one; the virtual-server mode runs n, each knowing nothing of the others.
 *
 * Three ways to stop: `crash()` (the listener closes and every connection is destroyed mid-transfer,
 * as if the process died: what `E<k>` does), `shutdown(graceMs)` (stop accepting, let responses in
 * flight finish for up to `graceMs`, then destroy what is left: SIGINT/SIGTERM), and `close()`
 * (shutdown with no grace, and stop background hashing for good).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { ParserLimits } from '@lb/http-wire';
import type { Logger } from 'pino';
import type { BodyAids } from './body-aids.js';
import { BufferPool } from './buffer-pool.js';
import { ListenError } from './errors.js';
import { FileCatalog } from './file-catalog.js';
import { FragmentMapCache } from './fragment-map-cache.js';
import { HttpConnection, type ResponseRecord } from './http-connection.js';
import { RequestRouter } from './request-router.js';
import { TokenBucket } from './token-bucket.js';

/** Read buffers of 1 MiB: few syscalls per large file; the pool keeps their number bounded. */
export const READ_BUFFER_SIZE = 1024 * 1024;

/** One pool per process: buffers freed by one server's responses serve the next, of any server. */
const sharedPool = new BufferPool(READ_BUFFER_SIZE, 32);

export interface FileServerOptions {
  /** Directory whose files are served. */
  root: string;
  /** Shown by `/home` and logged with every request. */
  serverId: string;
  /** List files on directory requests (`--no-index` turns it off). */
  directoryIndex?: boolean;
  /** `--rate`: total bytes/s of file bodies across all connections. */
  rateBytesPerSecond?: number | undefined;
  /** `--latency`: delay before each response head. */
  latencyMs?: number;
  /** `--fail-after`: cut the connection after this many body bytes of each file response. */
  failAfterBytes?: number | undefined;
  /** `--corrupt`: flip bytes of file bodies. */
  corrupt?: boolean;
  headerTimeoutMs?: number;
  idleTimeoutMs?: number;
  sendTimeoutMs?: number;
  /** Connections over this are closed as soon as they are accepted (net.Server maxConnections). */
  maxConnections?: number;
  /** Parsed requests that may wait on one connection before it stops reading. */
  maxPipelined?: number;
  parserLimits?: ParserLimits;
  /** Compute every file's digests at start (off the request path). Default true. */
  warmDigests?: boolean;
  logger?: Logger | undefined;
}

export const DEFAULT_TIMEOUTS = Object.freeze({
  headerTimeoutMs: 10_000,
  idleTimeoutMs: 15_000,
  sendTimeoutMs: 60_000,
});
export const DEFAULT_MAX_CONNECTIONS = 1024;
export const DEFAULT_MAX_PIPELINED = 32;

export interface ListeningAddress {
  host: string;
  port: number;
}

export class FileServer {
  readonly serverId: string;
  readonly catalog: FileCatalog;
  readonly fragmentMaps: FragmentMapCache;
  readonly #options: FileServerOptions;
  readonly #router: RequestRouter;
  readonly #aids: BodyAids;
  readonly #connections = new Set<HttpConnection>();
  readonly #logger: Logger | undefined;
  #server: Server | undefined;
  #address: ListeningAddress | undefined;
  /** Set while a shutdown waits for the last connection to close. */
  #whenNoConnections: (() => void) | undefined;

  private constructor(options: FileServerOptions, catalog: FileCatalog) {
    this.#options = options;
    this.serverId = options.serverId;
    this.catalog = catalog;
    this.#logger = options.logger;
    this.fragmentMaps = new FragmentMapCache({
      onError: (err, path) => this.#logger?.warn({ err, path }, 'computing digests failed'),
    });
    this.#router = new RequestRouter({
      catalog,
      fragmentMaps: this.fragmentMaps,
      serverId: options.serverId,
      directoryIndex: options.directoryIndex ?? true,
    });
    this.#aids = {
      rateLimiter:
        options.rateBytesPerSecond === undefined
          ? undefined
          : new TokenBucket({ bytesPerSecond: options.rateBytesPerSecond }),
      failAfterBytes: options.failAfterBytes,
      corrupt: options.corrupt ?? false,
    };
  }

  /** Opens the root (InputPathError if it is not a directory) and starts hashing its files. */
  static async create(options: FileServerOptions): Promise<FileServer> {
    const catalog = await FileCatalog.open(options.root);
    const server = new FileServer(options, catalog);
    if (options.warmDigests ?? true) {
      catalog.list().then(
        (entries) =>
          server.fragmentMaps.warm(
            entries.map((entry) => ({
              absolutePath: entry.absolutePath,
              stats: entry.stats,
              name: entry.path.slice(entry.path.lastIndexOf('/') + 1),
            })),
          ),
        (err: unknown) => server.#logger?.warn({ err }, 'listing the root failed'),
      );
    }
    return server;
  }

  /** The bound address while listening. */
  get address(): ListeningAddress | undefined {
    return this.#address;
  }

  get listening(): boolean {
    return this.#server?.listening ?? false;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Listens on `host:port` (port 0: any free port). Throws ListenError. */
  async listen(port: number, host: string): Promise<ListeningAddress> {
    if (this.listening) throw new Error(`server ${this.serverId} is already listening`);
    // allowHalfOpen: a client that sends its request and then shuts down its sending side
    // (`printf … | nc -N`) still gets its response.
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) =>
      this.#accept(socket),
    );
    server.maxConnections = this.#options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        server.off('listening', onListening);
        reject(new ListenError(host, port, error));
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ port, host, exclusive: true });
    });
    server.on('error', (err) => this.#logger?.error({ err }, 'listener error'));
    const bound = server.address();
    const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
    this.#server = server;
    this.#address = { host, port: boundPort };
    return this.#address;
  }

  /** Like a crash: stop listening and destroy every connection mid-transfer. */
  crash(): void {
    this.#server?.close();
    this.#server = undefined;
    for (const connection of this.#connections) connection.destroy();
  }

  /**
   * Stop accepting; idle keep-alive connections close now, responses in flight may finish for up
   * to `graceMs`, then whatever is left is destroyed.
   */
  async shutdown(graceMs: number): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    const closed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    for (const connection of this.#connections) connection.closeWhenIdle();
    if (this.#connections.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const connection of this.#connections) connection.destroy();
          resolve();
        }, graceMs);
        this.#whenNoConnections = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#whenNoConnections = undefined;
    }
    await closed;
  }

  /** Shuts down without grace and stops background hashing. */
  async close(): Promise<void> {
    this.fragmentMaps.close();
    await this.shutdown(0);
  }

  #accept(socket: Socket): void {
    const logger = this.#logger;
    const connection = new HttpConnection(socket, {
      router: this.#router,
      pool: sharedPool,
      aids: this.#aids,
      latencyMs: this.#options.latencyMs ?? 0,
      headerTimeoutMs: this.#options.headerTimeoutMs ?? DEFAULT_TIMEOUTS.headerTimeoutMs,
      idleTimeoutMs: this.#options.idleTimeoutMs ?? DEFAULT_TIMEOUTS.idleTimeoutMs,
      sendTimeoutMs: this.#options.sendTimeoutMs ?? DEFAULT_TIMEOUTS.sendTimeoutMs,
      maxPipelined: this.#options.maxPipelined ?? DEFAULT_MAX_PIPELINED,
      parserLimits: this.#options.parserLimits,
      onResponse: logger ? (record) => logResponse(logger, record) : () => {},
    });
    this.#connections.add(connection);
    connection.onClosed(() => {
      this.#connections.delete(connection);
      if (this.#connections.size === 0) this.#whenNoConnections?.();
    });
  }
}

function logResponse(logger: Logger, record: ResponseRecord): void {
  const { err, ...fields } = record;
  if (err === undefined && !logger.isLevelEnabled('info')) return;
  const line = {
    method: fields.method,
    path: fields.target,
    status: fields.status,
    bytes: fields.bytes,
    ms: Math.round(fields.ms * 10) / 10,
    outcome: fields.outcome,
  };
  if (err !== undefined) logger.error({ ...line, err }, 'request failed');
  else logger.info(line, 'request');
}
