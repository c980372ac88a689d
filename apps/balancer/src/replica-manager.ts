/**
 * Managed replicas: lb-server child processes on free ports serving one directory. Each child is
 * started with `--port 0 --json` and reports its address in its JSON listening event on stdout
 * (`{"event":"listening","url":"http://HOST:PORT"}`), so ports never collide; `stopAll` takes every child down with the balancer.
 *
 * A replica that dies without being asked to is replaced at once by a warm standby: one extra
 * lb-server kept running outside the pool. Starting a Node process (through tsx in development)
 * takes longer than a second on a busy machine; promoting the standby takes no time, and a new
 * standby is then started in the background. Without a ready standby, a fresh process is started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { ReplicaStartError } from './errors.js';
import type { ServerCommand } from './locate-server-command.js';

export interface Replica {
  /** `replica-N`, passed to lb-server as `--id` (shown by its `/home`). */
  name: string;
  pid: number;
  host: string;
  port: number;
  /** `host:port`, the server id in the pool. */
  id: string;
}

export interface ReplicaManagerOptions {
  root: string;
  command: ServerCommand;
  /** Interface the replicas listen on. Default 127.0.0.1. */
  host?: string;
  /** Keep one warm standby process for instant replacement. Default true. */
  standby?: boolean;
  /** How long a child may take to print its listening event. Default 20 s. */
  startTimeoutMs?: number;
  /** Extra lb-server flags for every replica (tests: `--rate`). */
  extraArgs?: readonly string[];
  logger?: Logger;
}

export interface ReplicaManagerEvents {
  /** A replica exited unexpectedly and `replacement` took its place. */
  replaced: [dead: Replica, replacement: Replica];
  /** A replica exited unexpectedly and no replacement could be started. */
  lost: [dead: Replica, error: Error];
}

const STOP_GRACE_MS = 5000;

interface Running {
  replica: Replica;
  child: ChildProcess;
  /** We asked it to stop: its exit is not a death to repair. */
  stopping: boolean;
  exited: Promise<void>;
}

export class ReplicaManager extends EventEmitter<ReplicaManagerEvents> {
  readonly root: string;
  readonly #options: ReplicaManagerOptions;
  readonly #logger: Logger | undefined;
  readonly #running = new Map<string, Running>();
  #sequence = 0;
  #closed = false;
  /** The warm standby, ready to take a dead replica's place; null while none is ready. */
  #standby: Running | null = null;
  #standbyStarting: Promise<void> | null = null;
  readonly #killOnExit = () => {
    for (const running of this.#running.values()) running.child.kill('SIGKILL');
    this.#standby?.child.kill('SIGKILL');
  };

  constructor(options: ReplicaManagerOptions) {
    super();
    this.root = options.root;
    this.#options = options;
    this.#logger = options.logger;
    // Covers process.exit and crashes; only SIGKILL of the balancer itself can orphan a replica.
    process.once('exit', this.#killOnExit);
  }

  /** Running replicas, oldest first. */
  list(): Replica[] {
    return [...this.#running.values()].map((running) => running.replica);
  }

  get count(): number {
    return this.#running.size;
  }

  /** Process id of the warm standby, or null while none is ready. */
  get standbyPid(): number | null {
    return this.#standby?.replica.pid ?? null;
  }

  /**
   * Starts `count` replicas in parallel (and the standby, if there is none); if any replica fails,
   * the others are stopped and it throws. A standby that fails to start is only logged.
   */
  async start(count: number): Promise<Replica[]> {
    const standby = this.#refillStandby();
    const results = await Promise.allSettled(Array.from({ length: count }, () => this.#launch()));
    await standby;
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(
        results.flatMap((result) =>
          result.status === 'fulfilled' ? [this.#stopRunning(result.value)] : [],
        ),
      );
      throw (failed as PromiseRejectedResult).reason;
    }
    return results.map((result) => {
      const running = (result as PromiseFulfilledResult<Running>).value;
      this.#running.set(running.replica.id, running);
      return running.replica;
    });
  }

  /** Stops one replica (SIGTERM, then SIGKILL after a grace period) without replacing it. */
  async stop(id: string): Promise<Replica | undefined> {
    const running = this.#running.get(id);
    if (running === undefined) return undefined;
    this.#running.delete(id);
    await this.#stopRunning(running);
    return running.replica;
  }

  async #stopRunning(running: Running): Promise<void> {
    running.stopping = true;
    running.child.kill('SIGTERM');
    const timer = setTimeout(() => running.child.kill('SIGKILL'), STOP_GRACE_MS);
    await running.exited;
    clearTimeout(timer);
  }

  /** Stops the `count` newest replicas. */
  async stopNewest(count: number): Promise<Replica[]> {
    const victims = this.list().slice(-count).reverse();
    const stopped = await Promise.all(victims.map((replica) => this.stop(replica.id)));
    return stopped.filter((replica): replica is Replica => replica !== undefined);
  }

  async stopAll(): Promise<void> {
    this.#closed = true;
    await this.#standbyStarting;
    const standby = this.#standby;
    this.#standby = null;
    await Promise.all([
      ...this.list().map((replica) => this.stop(replica.id)),
      standby === null ? undefined : this.#stopRunning(standby),
    ]);
    process.off('exit', this.#killOnExit);
  }

  /** Starts a standby unless one is ready or starting (or standbys are off). Never rejects. */
  #refillStandby(): Promise<void> {
    if (this.#options.standby === false || this.#closed) return Promise.resolve();
    if (this.#standby !== null) return Promise.resolve();
    this.#standbyStarting ??= this.#launch().then(
      (running) => {
        this.#standbyStarting = null;
        if (this.#closed) {
          void this.#stopRunning(running);
          return;
        }
        this.#standby = running;
        this.#logger?.debug(
          { replica: running.replica.name, childPid: running.replica.pid },
          'standby ready',
        );
      },
      (error: Error) => {
        this.#standbyStarting = null;
        this.#logger?.error({ err: error }, 'standby replica could not be started');
      },
    );
    return this.#standbyStarting;
  }

  /** Starts one lb-server and resolves once it listens; the caller decides what it is for. */
  #launch(): Promise<Running> {
    const { command, root } = this.#options;
    const name = `replica-${++this.#sequence}`;
    const args = [
      ...command.args,
      '--root',
      root,
      '--port',
      '0',
      '--host',
      this.#options.host ?? '127.0.0.1',
      '--id',
      name,
      '--json',
      ...(this.#options.extraArgs ?? []),
    ];
    const logger = this.#logger;
    return new Promise<Running>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(command.executable, args, {
          cwd: command.cwd,
          stdio: ['ignore', 'pipe', 'pipe'],
          // A process group of its own: Ctrl-C in a terminal signals the balancer, which stops its
          // replicas itself, instead of every replica exiting at once and looking like a crash.
          detached: true,
        });
      } catch (error) {
        reject(new ReplicaStartError(`cannot start lb-server: ${(error as Error).message}`));
        return;
      }
      let settled = false;
      const stderrTail: string[] = [];
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        const tail = stderrTail.length > 0 ? `: ${stderrTail.join(' | ')}` : '';
        reject(new ReplicaStartError(`lb-server ${name} ${reason}${tail}`));
      };
      const timer = setTimeout(
        () =>
          fail(`did not report its address within ${this.#options.startTimeoutMs ?? 20_000} ms`),
        this.#options.startTimeoutMs ?? 20_000,
      );
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.once('error', (error) =>
        fail(`could not be started (${command.executable}: ${error.message})`),
      );
      child.once('exit', (code, signal) => {
        if (!settled) fail(`exited before listening (code ${code}, signal ${signal})`);
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        stderrTail.push(line);
        if (stderrTail.length > 5) stderrTail.shift();
        logger?.debug({ replica: name, line }, 'replica stderr');
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const address = listeningAddress(line);
        if (address === undefined || settled) return;
        settled = true;
        clearTimeout(timer);
        const { host, port } = address;
        const replica: Replica = { name, pid: child.pid ?? -1, host, port, id: `${host}:${port}` };
        const running: Running = { replica, child, stopping: false, exited };
        child.once('exit', (code, signal) => this.#onExit(running, code, signal));
        logger?.info(
          { replica: name, childPid: replica.pid, server: replica.id },
          'replica started',
        );
        resolve(running);
      });
    });
  }

  #onExit(running: Running, code: number | null, signal: NodeJS.Signals | null): void {
    if (running.stopping || this.#closed) return;
    const dead = running.replica;
    if (this.#standby === running) {
      this.#standby = null;
      this.#logger?.warn({ replica: dead.name, childPid: dead.pid, code, signal }, 'standby died');
      void this.#refillStandby();
      return;
    }
    if (this.#running.get(dead.id) !== running) return;
    this.#running.delete(dead.id);
    this.#logger?.warn(
      { replica: dead.name, childPid: dead.pid, code, signal },
      'replica died; replacing it',
    );
    const standby = this.#standby;
    if (standby !== null) {
      this.#standby = null;
      this.#promote(dead, standby, true);
      void this.#refillStandby();
      return;
    }
    void this.#refillStandby();
    this.#launch().then(
      (replacement) => {
        if (this.#closed) {
          void this.#stopRunning(replacement);
          return;
        }
        this.#promote(dead, replacement, false);
      },
      (error: Error) => {
        this.#logger?.error({ err: error, replica: dead.name }, 'replica could not be replaced');
        this.emit('lost', dead, error);
      },
    );
  }

  #promote(dead: Replica, replacement: Running, fromStandby: boolean): void {
    this.#running.set(replacement.replica.id, replacement);
    this.#logger?.warn(
      {
        replica: replacement.replica.name,
        childPid: replacement.replica.pid,
        server: replacement.replica.id,
        replaced: dead.name,
        fromStandby,
      },
      'replica replaced',
    );
    this.emit('replaced', dead, replacement.replica);
  }
}

/**
 * Host (IPv6 bracketed, as in the pool's ids) and port from lb-server's `--json` listening event;
 * undefined for any other stdout line.
 */
function listeningAddress(line: string): { host: string; port: number } | undefined {
  if (!line.startsWith('{')) return undefined;
  let event: { event?: unknown; url?: unknown } | null;
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (event?.event !== 'listening' || typeof event.url !== 'string') return undefined;
  const { hostname, port } = new URL(event.url);
  return { host: hostname, port: Number(port) };
}
