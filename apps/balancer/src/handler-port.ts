/**
 * One listening port of the balancer: @lb/http-wire's `listen` with a handler, its listen errors
 * turned into ListenError naming what the port is for. The client port and the admin port are two.
 */
import {
  type BoundAddress,
  type HttpHandler,
  type HttpListener,
  type ListenOptions,
  listen,
  type ServeOptions,
} from '@lb/http-wire';
import { ListenError } from './errors.js';

export class HandlerPort {
  readonly #what: string;
  readonly #handler: HttpHandler;
  readonly #serveOptions: ServeOptions;
  readonly #listenOptions: Omit<ListenOptions, 'host' | 'port'>;
  #listener: HttpListener | undefined;

  /** `what` names the port in a listen error: "cannot listen for <what> on host:port". */
  constructor(
    what: string,
    handler: HttpHandler,
    serveOptions: ServeOptions,
    listenOptions: Omit<ListenOptions, 'host' | 'port'> = {},
  ) {
    this.#what = what;
    this.#handler = handler;
    this.#serveOptions = serveOptions;
    this.#listenOptions = listenOptions;
  }

  /** Open connections. */
  get connections(): number {
    return this.#listener?.connections ?? 0;
  }

  get address(): BoundAddress | undefined {
    return this.#listener?.address;
  }

  async listen(host: string, port: number): Promise<BoundAddress> {
    try {
      this.#listener = await listen(
        { ...this.#listenOptions, host, port },
        this.#handler,
        this.#serveOptions,
      );
    } catch (error) {
      throw new ListenError(this.#what, host, port, error as Error);
    }
    return this.#listener.address;
  }

  /** Stops accepting, drains every connection, and cuts what remains after `graceMs`. */
  async close(graceMs = 5000): Promise<void> {
    await this.#listener?.close(graceMs);
  }
}
