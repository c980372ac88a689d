/**
 * n virtual servers in one process. Each is an independent FileServer with its own copy of the
 * file, in a folder of its own under one temporary directory (copied with the source's mtime so
 * every copy has the same ETag, as real mirrors synced with `rsync -t` would); the directory is
 * removed by `shutdown()`/`close()`. Server k serves the file at `/<basename>` and answers
 * `/home` with `Hello from Server: k`.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { InputPathError } from './errors.js';
import { FileServer, type FileServerOptions, type ListeningAddress } from './file-server.js';
import type { ServerStatus } from './status-report.js';

/** Options of server k, minus what the manager decides (root, id). */
export type VirtualServerOptions = Omit<FileServerOptions, 'root' | 'serverId' | 'logger'>;

export interface VirtualServersOptions {
  file: string;
  host: string;
  /** `ports[k - 1]` is server k's port (0: any free port, then kept for restarts). */
  ports: readonly number[];
  /** `servers[k - 1]` configures server k. */
  servers: readonly VirtualServerOptions[];
  /** Called with each server's number to get its logger. */
  loggerFor?: (serverNumber: number) => Logger;
  /** Parent of the temporary directory (default: the OS temp dir). */
  tempParent?: string;
}

interface VirtualServer {
  number: number;
  server: FileServer;
  /** The port it listens on when alive: the bound one once it has listened. */
  port: number;
}

export class VirtualServers {
  /** The temporary directory holding one folder per server. */
  readonly directory: string;
  readonly fileName: string;
  readonly #host: string;
  readonly #servers: VirtualServer[];
  #removed = false;

  private constructor(directory: string, fileName: string, host: string, servers: VirtualServer[]) {
    this.directory = directory;
    this.fileName = fileName;
    this.#host = host;
    this.#servers = servers;
  }

  /**
   * Copies the file for every server and starts them all. On any failure (missing file, busy
   * port) everything started is stopped and the copies removed before the error is rethrown.
   */
  static async start(options: VirtualServersOptions): Promise<VirtualServers> {
    const { file, ports } = options;
    let source: Awaited<ReturnType<typeof stat>>;
    try {
      source = await stat(file);
    } catch (error) {
      throw new InputPathError(file, `file ${file} does not exist`, { cause: error });
    }
    if (!source.isFile()) throw new InputPathError(file, `${file} is not a regular file`);

    const fileName = basename(file);
    const directory = await mkdtemp(join(options.tempParent ?? tmpdir(), 'lb-server-'));
    const servers: VirtualServer[] = [];
    const manager = new VirtualServers(directory, fileName, options.host, servers);
    try {
      for (let index = 0; index < ports.length; index++) {
        const number = index + 1;
        const root = join(directory, `server-${number}`);
        await mkdir(root);
        const copy = join(root, fileName);
        // FICLONE: a reflink where the filesystem can, an ordinary copy elsewhere.
        await copyFile(file, copy, constants.COPYFILE_FICLONE);
        await utimes(copy, source.atime, source.mtime);
        const server = await FileServer.create({
          ...options.servers[index],
          root,
          serverId: String(number),
          logger: options.loggerFor?.(number),
        });
        servers.push({ number, server, port: ports[index]! });
      }
      for (const entry of servers) {
        const address = await entry.server.listen(options.host, entry.port);
        entry.port = address.port;
      }
    } catch (error) {
      await manager.close();
      throw error;
    }
    return manager;
  }

  get count(): number {
    return this.#servers.length;
  }

  get host(): string {
    return this.#host;
  }

  statuses(): ServerStatus[] {
    return this.#servers.map(({ number, server, port }) => ({
      number,
      port,
      alive: server.listening,
    }));
  }

  /** The FileServer of server k (1-based). */
  server(number: number): FileServer {
    return this.#entry(number).server;
  }

  /** `E<k>`: crash server k. False if it was already dead. */
  kill(number: number): boolean {
    const entry = this.#entry(number);
    if (!entry.server.listening) return false;
    entry.server.crash();
    return true;
  }

  /** `S<k>`: listen again on its port. Null if it was already alive; throws ListenError. */
  async restart(number: number): Promise<ListeningAddress | null> {
    const entry = this.#entry(number);
    if (entry.server.listening) return null;
    return entry.server.listen(this.#host, entry.port);
  }

  /** Graceful stop of every server (see FileServer.shutdown), then the copies are removed. */
  async shutdown(graceMs: number): Promise<void> {
    await Promise.all(this.#servers.map(({ server }) => server.shutdown(graceMs)));
    for (const { server } of this.#servers) server.fragmentMaps.close();
    await this.#removeDirectory();
  }

  /** Immediate stop of every server, then the copies are removed. */
  async close(): Promise<void> {
    await Promise.all(this.#servers.map(({ server }) => server.close()));
    await this.#removeDirectory();
  }

  async #removeDirectory(): Promise<void> {
    if (this.#removed) return;
    this.#removed = true;
    await rm(this.directory, { recursive: true, force: true });
  }

  #entry(number: number): VirtualServer {
    const entry = this.#servers[number - 1];
    if (entry === undefined) throw new RangeError(`there is no server ${number}`);
    return entry;
  }
}
