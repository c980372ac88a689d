/**
 * One mirror file server: a listener, its connections, and what it serves. The single-server mode
 * runs one; the virtual-server mode runs n, each knowing nothing of the others.
 *
 * Three ways to stop: `crash()` (the listener closes and every connection is destroyed mid-transfer,
 * as if the process died: what `E<k>` does), `shutdown(graceMs)` (stop accepting, let responses in
 * flight finish for up to `graceMs`, then destroy what is left: SIGINT/SIGTERM), and `close()`
 * (shutdown with no grace, and stop background hashing for good).
 */
import {
  DEFAULT_SERVE_OPTIONS,
  type HttpListener,
  listen,
  type ParserLimits,
  type ServeOptions,
} from '@lb/http-wire';
import type { Logger } from 'pino';
import type { BodyAids } from './body-aids.js';
import { BufferPool } from './buffer-pool.js';
import { ListenError } from './errors.js';
import { FileCatalog } from './file-catalog.js';
import { FileHandler, type ResponseRecord } from './file-handler.js';
import { FragmentMapCache } from './fragment-map-cache.js';
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

export const DEFAULT_MAX_CONNECTIONS = 1024;

export interface ListeningAddress {
  host: string;
  port: number;
}

export class FileServer {
  readonly serverId: string;
  readonly catalog: FileCatalog;
  readonly fragmentMaps: FragmentMapCache;
  readonly #options: FileServerOptions;
  readonly #handler: FileHandler;
  readonly #serveOptions: ServeOptions;
  readonly #logger: Logger | undefined;
  #listener: HttpListener | undefined;
  /** Listeners stopping (shutdown, crash) whose connections still count. */
  readonly #stopping = new Set<HttpListener>();
  #address: ListeningAddress | undefined;

  private constructor(options: FileServerOptions, catalog: FileCatalog) {
    this.#options = options;
    this.serverId = options.serverId;
    this.catalog = catalog;
    this.#logger = options.logger;
    this.fragmentMaps = new FragmentMapCache({
      onError: (err, path) => this.#logger?.warn({ err, path }, 'computing digests failed'),
    });
    const router = new RequestRouter({
      catalog,
      fragmentMaps: this.fragmentMaps,
      serverId: options.serverId,
      directoryIndex: options.directoryIndex ?? true,
    });
    const aids: BodyAids = {
      rateLimiter:
        options.rateBytesPerSecond === undefined
          ? undefined
          : new TokenBucket({ bytesPerSecond: options.rateBytesPerSecond }),
      failAfterBytes: options.failAfterBytes,
      corrupt: options.corrupt ?? false,
    };
    const logger = this.#logger;
    const sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SERVE_OPTIONS.sendTimeoutMs;
    this.#handler = new FileHandler({
      router,
      pool: sharedPool,
      aids,
      latencyMs: options.latencyMs ?? 0,
      sendTimeoutMs,
      onResponse: logger ? (record) => logResponse(logger, record) : () => {},
    });
    // serve() defaults what is left undefined.
    this.#serveOptions = {
      headerTimeoutMs: options.headerTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      sendTimeoutMs,
      maxPipelined: options.maxPipelined,
      parserLimits: options.parserLimits,
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
    return this.#listener !== undefined;
  }

  get connectionCount(): number {
    let count = this.#listener?.connections ?? 0;
    for (const listener of this.#stopping) count += listener.connections;
    return count;
  }

  /** Listens on `host:port` (port 0: any free port). Throws ListenError. */
  async listen(host: string, port: number): Promise<ListeningAddress> {
    if (this.listening) throw new Error(`server ${this.serverId} is already listening`);
    let listener: HttpListener;
    try {
      listener = await listen(
        {
          host,
          port,
          exclusive: true,
          // A client that sends its request and then shuts down its sending side
          // (`printf … | nc -N`) still gets its response.
          allowHalfOpen: true,
          maxConnections: this.#options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
          onError: (err) => this.#logger?.error({ err }, 'listener error'),
        },
        this.#handler,
        this.#serveOptions,
      );
    } catch (error) {
      throw new ListenError(host, port, error as Error);
    }
    this.#listener = listener;
    this.#address = { host, port: listener.address.port };
    return this.#address;
  }

  /** Like a crash: stop listening and destroy every connection mid-transfer. */
  crash(): void {
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.destroy();
  }

  /**
   * Stop accepting; idle keep-alive connections close now, responses in flight may finish for up
   * to `graceMs`, then whatever is left is destroyed.
   */
  async shutdown(graceMs: number): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener === undefined) return;
    this.#stopping.add(listener);
    try {
      await listener.close(graceMs);
    } finally {
      this.#stopping.delete(listener);
    }
  }

  /** Shuts down without grace and stops background hashing. */
  async close(): Promise<void> {
    this.fragmentMaps.close();
    await this.shutdown(0);
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
