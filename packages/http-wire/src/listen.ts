/**
 * A listener for {@link serve}: binds `host:port` (plain TCP, or TLS when `tls` is given), hands
 * each accepted stream to `onConnection`, keeps the connections it returns, and stops gracefully
 * (`close(graceMs)`: no new connections, each one drained, what is left after the grace destroyed)
 * or at once (`destroy()`: as if the process died).
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { type ServeOptions, type ServerConnection, serve } from './server-connection.js';
import type { HttpHandler } from './server-request.js';

export interface ListenOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Pending connections the kernel queues. Node's default (511) when absent. */
  backlog?: number;
  /** Fail with EADDRINUSE rather than share the port with a cluster sibling. */
  exclusive?: boolean;
  /**
   * Keep our side open after the client's FIN, so a client that sends its request and then shuts
   * down its sending side (`printf … | nc -N`) still gets the answer. Default false.
   */
  allowHalfOpen?: boolean;
  /** Connections over this are closed as soon as they are accepted. */
  maxConnections?: number;
  /** Serve TLS with these options (key, cert, …) instead of plain TCP. */
  tls?: tls.TlsOptions;
  /** Errors of the listener after it is bound (EMFILE on accept): it keeps going. */
  onError?: (error: Error) => void;
}

export interface BoundAddress {
  /** The host as given to `listen`. */
  host: string;
  /** The address bound, e.g. `127.0.0.1` or `::`. */
  address: string;
  port: number;
  family: string;
}

export interface HttpListener {
  readonly address: BoundAddress;
  /** Open connections. */
  readonly connections: number;
  /** Stops accepting, drains every connection, and destroys what remains after `graceMs`. */
  close(graceMs?: number): Promise<void>;
  /** Stops accepting and destroys every connection now. */
  destroy(): void;
}

/**
 * Binds and starts accepting; each connection is served by `handler` with `serveOptions`, or
 * handed to an `onConnection` function that calls {@link serve} itself. Rejects with the listen
 * error (EADDRINUSE, EACCES, …).
 */
export async function listen(
  options: ListenOptions,
  handler: HttpHandler | ((stream: Duplex) => ServerConnection),
  serveOptions?: ServeOptions,
): Promise<HttpListener> {
  const onConnection =
    typeof handler === 'function'
      ? handler
      : (stream: Duplex) => serve(stream, handler, serveOptions);
  const connections = new Set<ServerConnection>();
  const accept = (stream: Duplex) => {
    const connection = onConnection(stream);
    connections.add(connection);
    connection.closed.then(() => connections.delete(connection));
  };
  // noDelay: answers are whole responses, written at once; Nagle would only hold them back.
  const serverOptions = { allowHalfOpen: options.allowHalfOpen ?? false, noDelay: true };
  const server: net.Server =
    options.tls === undefined
      ? net.createServer(serverOptions, accept)
      : tls.createServer({ ...serverOptions, ...options.tls }, accept);
  if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections;
  await new Promise<void>((resolve, reject) => {
    const onListenError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onListenError);
      resolve();
    };
    server.once('error', onListenError);
    server.once('listening', onListening);
    server.listen({
      host: options.host,
      port: options.port,
      ...(options.backlog === undefined ? {} : { backlog: options.backlog }),
      ...(options.exclusive === undefined ? {} : { exclusive: options.exclusive }),
    });
  });
  const onError = options.onError;
  server.on('error', (error) => onError?.(error));
  if (options.tls !== undefined) {
    // A failed handshake is the client's business, like a reset.
    server.on('tlsClientError', (error) => onError?.(error));
  }
  const bound = server.address() as net.AddressInfo;
  const address: BoundAddress = {
    host: options.host,
    address: bound.address,
    port: bound.port,
    family: bound.family,
  };

  const stopAccepting = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) resolve();
      else server.close(() => resolve());
    });

  return {
    address,
    get connections() {
      return connections.size;
    },
    async close(graceMs = 5000) {
      const stopped = stopAccepting();
      const open = [...connections];
      for (const connection of open) connection.drain();
      if (open.length > 0) {
        const timer = setTimeout(() => {
          for (const connection of connections) connection.destroy();
        }, graceMs);
        await Promise.all(open.map((connection) => connection.closed));
        clearTimeout(timer);
      }
      await stopped;
    },
    destroy() {
      server.close();
      for (const connection of connections) connection.destroy();
    },
  };
}
