import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { ClientConnection, httpRequest, parseHttpUrl } from './client-connection.js';
import * as errors from './errors.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

/** A node:http peer. */
function httpServer(handler: http.RequestListener): Promise<number> {
  return listen(http.createServer(handler));
}

/** A raw TCP peer that writes whatever the test tells it to. */
function rawServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  return listen(
    net.createServer((socket) => {
      socket.on('error', () => {});
      onConnection(socket);
    }),
  );
}

/** Resolves with the request head bytes once `\r\n\r\n` has arrived. */
function readHead(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end !== -1) {
        socket.removeListener('data', onData);
        resolve(text.slice(0, end + 4));
      }
    };
    socket.on('data', onData);
  });
}

async function connect(port: number): Promise<ClientConnection> {
  const connection = await ClientConnection.connect({ host: '127.0.0.1', port });
  cleanups.push(() => connection.destroy());
  return connection;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Reads a body to its end, returning what arrived and how it ended. */
async function drain(body: AsyncIterable<Uint8Array>): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of body) bytes += chunk.byteLength;
  } catch (error) {
    return { bytes, error };
  }
  return { bytes, error: null };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('against node:http', () => {
  test('Content-Length body, Host added, timings recorded', async () => {
    let host: string | undefined;
    const port = await httpServer((req, res) => {
      host = req.headers.host;
      res.setHeader('Content-Length', 11);
      res.end('hello world');
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/a?b=1' });
    expect(response.head.statusCode).toBe(200);
    expect(response.head.contentLength).toBe(11);
    expect(response.head.chunked).toBe(false);
    expect(response.interim).toEqual([]);
    expect(await response.text()).toBe('hello world');
    expect(response.bytesReceived).toBe(11);
    expect(host).toBe(`127.0.0.1:${port}`);
    expect(response.timings.connectMs).toBeGreaterThan(0);
    expect(response.timings.firstByteMs).toBeGreaterThan(0);
    expect(response.timings.doneMs).toBeGreaterThanOrEqual(response.timings.firstByteMs);
    expect(connection.reusable).toBe(true);
  });

  test('chunked body with trailers', async () => {
    const port = await httpServer((_req, res) => {
      res.setHeader('Trailer', 'X-Sum');
      res.write('abc');
      res.write('defgh');
      res.addTrailers({ 'X-Sum': '8' });
      res.end('');
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    expect(response.head.chunked).toBe(true);
    expect(response.head.contentLength).toBeNull();
    expect(await response.text()).toBe('abcdefgh');
    expect(response.trailers?.get('x-sum')).toBe('8');
    expect(connection.reusable).toBe(true);
  });

  test('HEAD: Content-Length announced, no body read, connection reusable at once', async () => {
    const port = await httpServer((_req, res) => {
      res.setHeader('Content-Length', 1000);
      res.end();
    });
    const connection = await connect(port);
    const response = await connection.request({ method: 'HEAD', path: '/' });
    expect(response.head.contentLength).toBe(1000);
    expect(connection.reusable).toBe(true);
    expect((await response.bytes()).byteLength).toBe(0);
    const next = await connection.request({ path: '/' });
    expect(next.head.contentLength).toBe(1000);
  });

  test.each([204, 304])('%i has no body and leaves the connection reusable', async (status) => {
    const port = await httpServer((_req, res) => {
      res.statusCode = status;
      res.end();
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    expect(response.head.statusCode).toBe(status);
    expect(await response.text()).toBe('');
    expect(connection.reusable).toBe(true);
  });

  test('keep-alive: three requests over one TCP connection', async () => {
    let connections = 0;
    const server = http.createServer((req, res) => res.end(`you asked for ${req.url}`));
    server.on('connection', () => connections++);
    const port = await listen(server);
    const connection = await connect(port);
    const texts: string[] = [];
    const connectTimes: number[] = [];
    for (const path of ['/1', '/2', '/3']) {
      const response = await connection.request({ path });
      texts.push(await response.text());
      connectTimes.push(response.timings.connectMs);
      expect(connection.reusable).toBe(true);
    }
    expect(texts).toEqual(['you asked for /1', 'you asked for /2', 'you asked for /3']);
    expect(connections).toBe(1);
    expect(connectTimes[0]).toBeGreaterThan(0);
    expect(connectTimes.slice(1)).toEqual([0, 0]);
  });

  test('POST body is sent with Content-Length', async () => {
    const port = await httpServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => res.end(`${req.headers['content-length']}:${Buffer.concat(parts)}`));
    });
    const connection = await connect(port);
    const body = new TextEncoder().encode('payload');
    const response = await connection.request({ method: 'POST', path: '/', body });
    expect(await response.text()).toBe('7:payload');
  });

  test('a caller-supplied Host wins over the default', async () => {
    let host: string | undefined;
    const port = await httpServer((req, res) => {
      host = req.headers.host;
      res.end();
    });
    const connection = await connect(port);
    await (await connection.request({ path: '/', headers: { host: 'mirror.example' } })).discard();
    expect(host).toBe('mirror.example');
  });

  test('a large body read by a slow consumer: the client holds about one socket read', async () => {
    // Larger than every kernel buffer on the path (loopback rmem can autotune to 32 MiB).
    const total = 128 * 1024 * 1024;
    let written = 0;
    const block = Buffer.alloc(64 * 1024, 0x61);
    const port = await httpServer((_req, res) => {
      res.setHeader('Content-Length', total);
      const pump = () => {
        while (written < total) {
          written += block.length;
          if (!res.write(block)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/big' });
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // Not reading now: wait until the sender is stuck (its count stops moving) or done.
    let last = -1;
    let stableRounds = 0;
    while (written < total && stableRounds < 5) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      stableRounds = written === last ? stableRounds + 1 : 0;
      last = written;
    }
    // Had the client kept reading into memory, the server would have sent everything.
    expect(written).toBeLessThan(total);
    expect(response.bytesReceived).toBeLessThanOrEqual(2 * 64 * 1024);
    let received = (first.value as Uint8Array).byteLength;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      received += next.value.byteLength;
    }
    expect(received).toBe(total);
    expect(response.bytesReceived).toBe(total);
    expect(connection.reusable).toBe(true);
  });

  test('Connection: close from the server makes the connection not reusable', async () => {
    const port = await httpServer((_req, res) => {
      res.setHeader('Connection', 'close');
      res.end('bye');
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    expect(response.head.keepAlive).toBe(false);
    expect(await response.text()).toBe('bye');
    expect(connection.reusable).toBe(false);
    expect(await caught(connection.request({ path: '/' }))).toBeInstanceOf(
      errors.ConnectionClosedError,
    );
  });

  test('Connection: close sent by the caller also ends reuse', async () => {
    const port = await httpServer((_req, res) => res.end('x'));
    const connection = await connect(port);
    const response = await connection.request({ path: '/', headers: [['Connection', 'close']] });
    await response.discard();
    expect(connection.reusable).toBe(false);
  });

  test('a second request before the body is consumed is refused with LB_WIRE_CONNECTION_BUSY', async () => {
    const port = await httpServer((_req, res) => res.end('x'.repeat(100)));
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    const error = await caught(connection.request({ path: '/' }));
    expect(error).toBeInstanceOf(errors.ConnectionBusyError);
    expect(error).toMatchObject({ code: 'LB_WIRE_CONNECTION_BUSY' });
    expect(await response.text()).toBe('x'.repeat(100));
    expect(connection.reusable).toBe(true);
  });

  test('breaking out of the body early destroys the connection', async () => {
    const port = await httpServer((_req, res) => {
      res.setHeader('Content-Length', 4 * 1024 * 1024);
      res.end(Buffer.alloc(4 * 1024 * 1024));
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    for await (const _chunk of response.body) break;
    expect(connection.reusable).toBe(false);
    expect(connection.closed).toBe(true);
  });

  test('the body can be iterated only once (LB_WIRE_BODY_USED)', async () => {
    const port = await httpServer((_req, res) => res.end('x'));
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    await response.text();
    expect(() => response.body[Symbol.asyncIterator]()).toThrow(errors.BodyUsedError);
    await expect(response.text()).rejects.toMatchObject({ code: 'LB_WIRE_BODY_USED' });
  });

  test('httpRequest with a URL returns the response and its connection', async () => {
    const port = await httpServer((req, res) => res.end(`${req.method} ${req.url}`));
    const response = await httpRequest(`http://127.0.0.1:${port}/x/y?z=1`);
    cleanups.push(() => response.connection.destroy());
    expect(await response.text()).toBe('GET /x/y?z=1');
    expect(response.connection.reusable).toBe(true);
    const again = await httpRequest({ host: '127.0.0.1', port, path: '/o' }, { method: 'DELETE' });
    cleanups.push(() => again.connection.destroy());
    expect(await again.text()).toBe('DELETE /o');
  });
});

describe('against misbehaving raw servers', () => {
  test('100 Continue then 200: the interim head is kept, the final one returned', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      socket.write('HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n');
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const connection = await connect(port);
    const response = await connection.request({
      method: 'PUT',
      path: '/',
      headers: { Expect: '100-continue' },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(response.interim.map((head) => head.statusCode)).toEqual([100, 103]);
    expect(response.interim[1]?.headers.get('link')).toBe('</a.css>');
    expect(response.head.statusCode).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  test('a response written one byte at a time', async () => {
    const bytes = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.setNoDelay(true);
      for (const byte of bytes) {
        socket.write(byte);
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    expect(await response.text()).toBe('abc');
    expect(connection.reusable).toBe(true);
  });

  test('close-delimited body (no length, no chunked) ends at EOF, not reusable', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end');
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    expect(await response.text()).toBe('until the end');
    expect(connection.reusable).toBe(false);
  });

  test('close mid-body: the bytes that came, then PrematureCloseError with counts', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'x'.repeat(40)}`);
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    const { bytes, error } = await drain(response.body);
    expect(bytes).toBe(40);
    expect(error).toBeInstanceOf(errors.PrematureCloseError);
    expect(error).toMatchObject({
      code: 'LB_WIRE_PREMATURE_CLOSE',
      bytesReceived: 40,
      expectedBytes: 100,
    });
    expect(response.bytesReceived).toBe(40);
    expect(connection.reusable).toBe(false);
  });

  test('close mid-chunked-body: expectedBytes is null', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nwo');
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    const { bytes, error } = await drain(response.body);
    expect(bytes).toBe(7);
    expect(error).toMatchObject({
      code: 'LB_WIRE_PREMATURE_CLOSE',
      bytesReceived: 7,
      expectedBytes: null,
    });
  });

  test('an error while nobody reads is kept until the consumer gets there (no unhandled rejection)', async () => {
    let closed: () => void = () => {};
    const serverClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n');
      socket.end('abc', () => closed());
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    await serverClosed;
    const { bytes, error } = await drain(response.body);
    expect(bytes).toBe(3);
    expect(error).toMatchObject({
      code: 'LB_WIRE_PREMATURE_CLOSE',
      bytesReceived: 3,
      expectedBytes: 10,
    });
  });

  test('close before any response byte: PrematureCloseError(0, null) rejects the request', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.end();
    });
    const connection = await connect(port);
    const error = await caught(connection.request({ path: '/' }));
    expect(error).toBeInstanceOf(errors.PrematureCloseError);
    expect(error).toMatchObject({ bytesReceived: 0, expectedBytes: null });
  });

  test('close in the middle of the head is a premature close too', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.end('HTTP/1.1 200 OK\r\nContent-Le');
    });
    const connection = await connect(port);
    expect(await caught(connection.request({ path: '/' }))).toMatchObject({
      code: 'LB_WIRE_PREMATURE_CLOSE',
      bytesReceived: 0,
    });
  });

  test('garbage instead of a status line: HttpParseError', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    });
    const connection = await connect(port);
    const error = await caught(connection.request({ path: '/' }));
    expect(error).toBeInstanceOf(errors.HttpParseError);
    expect((error as errors.HttpParseError).code).toMatch(/^HPE_/);
    expect(connection.closed).toBe(true);
  });

  test('a bad chunk size mid-body rejects the body iterator with HttpParseError', async () => {
    let serverSocket: net.Socket | undefined;
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      serverSocket = socket;
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('abc');
    serverSocket?.write('zz\r\n');
    const error = await caught(iterator.next());
    expect(error).toBeInstanceOf(errors.HttpParseError);
    expect(error).toMatchObject({ code: 'HPE_INVALID_CHUNK_SIZE' });
    expect(response.bytesReceived).toBe(3);
    expect(connection.closed).toBe(true);
  });

  test('a head followed by garbage in the same read: the request rejects with HttpParseError', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    });
    const connection = await connect(port);
    expect(await caught(connection.request({ path: '/' }))).toMatchObject({
      code: 'HPE_INVALID_CHUNK_SIZE',
    });
  });

  test('bytes after a complete response end reuse of the connection', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokJUNK');
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    expect(await response.text()).toBe('ok');
    expect(connection.reusable).toBe(false);
  });

  test('a reset mid-body: SocketError with ECONNRESET after the bytes that came', async () => {
    let serverSocket: net.Socket | undefined;
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      serverSocket = socket;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n12345');
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/' });
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.byteLength).toBe(5);
    serverSocket?.resetAndDestroy();
    const error = await caught(iterator.next());
    expect(error).toBeInstanceOf(errors.SocketError);
    expect(error).toMatchObject({ code: 'LB_WIRE_SOCKET', syscallCode: 'ECONNRESET' });
    expect(response.bytesReceived).toBe(5);
  });

  test('unsolicited bytes on an idle connection close it', async () => {
    let serverSocket: net.Socket | undefined;
    let serverSawClose: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      serverSawClose = resolve;
    });
    const port = await rawServer(async (socket) => {
      socket.on('close', () => serverSawClose());
      await readHead(socket);
      serverSocket = socket;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const connection = await connect(port);
    expect(await (await connection.request({ path: '/' })).text()).toBe('ok');
    expect(connection.reusable).toBe(true);
    serverSocket?.write('HTTP/1.1 200 OK\r\n');
    await closed;
    expect(connection.reusable).toBe(false);
    expect(connection.closed).toBe(true);
  });

  test('destroy(error) while waiting for the head rejects the request with that error', async () => {
    const port = await rawServer((socket) => socket.resume());
    const connection = await connect(port);
    const pending = connection.request({ path: '/' });
    const reason = new Error('shutting down');
    connection.destroy(reason);
    expect(await caught(pending)).toBe(reason);
    expect(await caught(connection.request({ path: '/' }))).toMatchObject({
      code: 'LB_WIRE_CONNECTION_CLOSED',
    });
  });

  test('destroy() without an error rejects with ConnectionClosedError', async () => {
    const port = await rawServer((socket) => socket.resume());
    const connection = await connect(port);
    const pending = connection.request({ path: '/' });
    connection.destroy();
    expect(await caught(pending)).toBeInstanceOf(errors.ConnectionClosedError);
  });

  test('close() on an idle connection ends it gracefully', async () => {
    let serverSawEnd: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      serverSawEnd = resolve;
    });
    const port = await rawServer((socket) => {
      socket.resume();
      socket.on('end', () => serverSawEnd());
    });
    const connection = await connect(port);
    connection.close();
    expect(connection.reusable).toBe(false);
    await ended;
  });

  test('close() during a response lets it finish, then ends the connection', async () => {
    const port = await httpServer((_req, res) => res.end('complete'));
    const connection = await connect(port);
    const pending = connection.request({ path: '/' });
    connection.close();
    const response = await pending;
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('complete');
    expect(connection.reusable).toBe(false);
  });

  test('never answering: ResponseTimeoutError (first-byte) and the socket is closed', async () => {
    let serverSawClose: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      serverSawClose = resolve;
    });
    const port = await rawServer((socket) => {
      // Reading (and dropping) the request lets the server notice the client's close.
      socket.resume();
      socket.on('close', () => serverSawClose());
    });
    const connection = await connect(port);
    const error = await caught(connection.request({ path: '/', responseTimeoutMs: 50 }));
    expect(error).toBeInstanceOf(errors.ResponseTimeoutError);
    expect(error).toMatchObject({
      code: 'LB_WIRE_RESPONSE_TIMEOUT',
      phase: 'first-byte',
      timeoutMs: 50,
    });
    await closed;
    expect(connection.closed).toBe(true);
  });

  test('a body that stalls: ResponseTimeoutError (body-idle) after the bytes that came', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'y'.repeat(10)}`);
    });
    const connection = await connect(port);
    const response = await connection.request({ path: '/', idleTimeoutMs: 50 });
    const { bytes, error } = await drain(response.body);
    expect(bytes).toBe(10);
    expect(error).toMatchObject({ code: 'LB_WIRE_RESPONSE_TIMEOUT', phase: 'body-idle' });
  });

  test('abort before the response: RequestAbortedError, reason as cause, socket destroyed', async () => {
    let serverSawClose: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      serverSawClose = resolve;
    });
    let requested: () => void = () => {};
    const gotRequest = new Promise<void>((resolve) => {
      requested = resolve;
    });
    const port = await rawServer(async (socket) => {
      socket.on('close', () => serverSawClose());
      await readHead(socket);
      requested();
    });
    const connection = await connect(port);
    const controller = new AbortController();
    const pending = connection.request({ path: '/', signal: controller.signal });
    await gotRequest;
    const reason = new Error('user cancelled');
    controller.abort(reason);
    const error = await caught(pending);
    expect(error).toBeInstanceOf(errors.RequestAbortedError);
    expect(error).toMatchObject({ code: 'LB_WIRE_ABORTED', cause: reason });
    await closed;
    expect(connection.closed).toBe(true);
  });

  test('abort during the body rejects the iterator', async () => {
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst');
    });
    const connection = await connect(port);
    const controller = new AbortController();
    const response = await connection.request({ path: '/', signal: controller.signal });
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('first');
    controller.abort();
    expect(await caught(iterator.next())).toMatchObject({ code: 'LB_WIRE_ABORTED' });
    expect(connection.closed).toBe(true);
  });

  test('an already aborted signal rejects without sending and leaves the connection usable', async () => {
    let requests = 0;
    const port = await httpServer((_req, res) => {
      requests++;
      res.end('ok');
    });
    const connection = await connect(port);
    const error = await caught(connection.request({ path: '/', signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(errors.RequestAbortedError);
    expect(connection.reusable).toBe(true);
    expect(await (await connection.request({ path: '/' })).text()).toBe('ok');
    expect(requests).toBe(1);
  });
});

describe('one reused read buffer (readBufferSize)', () => {
  const BODY = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < BODY.length; i++) BODY[i] = (i * 31 + (i >> 12)) & 0xff;

  async function connectBorrowed(port: number, readBufferSize = 16 * 1024) {
    const connection = await ClientConnection.connect({ host: '127.0.0.1', port, readBufferSize });
    cleanups.push(() => connection.destroy());
    return connection;
  }

  test('every chunk is a view into the same buffer, and the copies add up to the body', async () => {
    const port = await httpServer((_req, res) => {
      res.setHeader('Content-Length', BODY.length);
      res.end(BODY);
    });
    const connection = await connectBorrowed(port);
    const response = await connection.request({ path: '/' });
    const copy = Buffer.alloc(BODY.length);
    const backing = new Set<ArrayBufferLike>();
    let at = 0;
    for await (const chunk of response.body) {
      backing.add(chunk.buffer);
      expect(chunk.byteLength).toBeLessThanOrEqual(16 * 1024);
      copy.set(chunk, at);
      at += chunk.byteLength;
    }
    expect(at).toBe(BODY.length);
    expect(copy.equals(BODY)).toBe(true);
    expect(backing.size).toBe(1);
    expect(connection.reusable).toBe(true);
  });

  test('a consumer that waits while holding a chunk still sees its bytes unchanged', async () => {
    // The peer writes far ahead of the reader: if the socket were read while a chunk is held,
    // the next read would overwrite it before the check below.
    const port = await httpServer((_req, res) => {
      res.setHeader('Content-Length', BODY.length);
      res.end(BODY);
    });
    const connection = await connectBorrowed(port, 4096);
    const response = await connection.request({ path: '/' });
    let at = 0;
    let waits = 0;
    for await (const chunk of response.body) {
      const before = Buffer.from(chunk);
      if (waits < 20) {
        waits++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(Buffer.compare(chunk, before)).toBe(0);
      expect(Buffer.compare(chunk, BODY.subarray(at, at + chunk.byteLength))).toBe(0);
      at += chunk.byteLength;
    }
    expect(at).toBe(BODY.length);
  });

  test('bytes() and text() copy as they go; keep-alive requests reuse the connection', async () => {
    let requests = 0;
    const port = await httpServer((req, res) => {
      requests++;
      const body = req.url === '/text' ? 'hello, borrowed world' : BODY;
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
    });
    const connection = await connectBorrowed(port, 1024);
    const bytes = await (await connection.request({ path: '/bytes' })).bytes();
    expect(Buffer.from(bytes).equals(BODY)).toBe(true);
    expect(await (await connection.request({ path: '/text' })).text()).toBe(
      'hello, borrowed world',
    );
    expect(requests).toBe(2);
  });

  test('chunked bodies with trailers and pipelined heads parse from the reused buffer', async () => {
    const port = await rawServer((socket) => {
      readHead(socket).then(() => {
        socket.write(
          'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' +
            'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
            '5\r\nhello\r\n7\r\n, world\r\n0\r\nX-Sum: 12\r\n\r\n',
        );
      });
    });
    const connection = await connectBorrowed(port, 1024);
    const response = await connection.request({ path: '/' });
    expect(response.interim.map((head) => head.headers.get('link'))).toEqual([
      '</a.css>; rel=preload',
    ]);
    expect(await response.text()).toBe('hello, world');
    expect(response.trailers?.get('x-sum')).toBe('12');
  });

  test('a body cut short still rejects with PrematureCloseError', async () => {
    const port = await rawServer((socket) => {
      readHead(socket).then(() => {
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b');
      });
    });
    const connection = await connectBorrowed(port, 1024);
    const response = await connection.request({ path: '/' });
    const { bytes, error } = await drain(response.body);
    expect(bytes).toBe(10);
    expect(error).toBeInstanceOf(errors.PrematureCloseError);
  });

  test.each([0, 1023, 1.5, 2 ** 24 + 1, Number.NaN])(
    'readBufferSize %s: LB_WIRE_INVALID_ARG before connecting',
    async (readBufferSize) => {
      const error = await caught(
        ClientConnection.connect({ host: '127.0.0.1', port: 80, readBufferSize }),
      );
      expect(error).toBeInstanceOf(errors.InvalidArgumentError);
      expect((error as Error).message).toContain('readBufferSize');
    },
  );
});

describe('process lifetime', () => {
  test('an idle keep-alive connection does not keep the process alive', async (context) => {
    // The server keeps the connection open forever; the child must still exit on its own.
    const port = await rawServer(async (socket) => {
      await readHead(socket);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    if (!existsSync(tsx)) {
      console.log('skipped: tsx is not installed at the repository root');
      context.skip();
      return;
    }
    const module = fileURLToPath(new URL('./client-connection.ts', import.meta.url));
    const script = `(async () => {
      const { httpRequest } = await import(${JSON.stringify(module)});
      const r = await httpRequest('http://127.0.0.1:${port}/');
      process.stdout.write((await r.text()) + ' ' + r.connection.reusable);
    })();`;
    const child = spawn(tsx, ['--eval', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill());
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number];
    expect(output).toBe('ok true');
    expect(code).toBe(0);
  });
});

describe('connecting', () => {
  test('a closed port: ConnectError with ECONNREFUSED and the syscall error as cause', async () => {
    const port = await closedPort();
    const error = await caught(ClientConnection.connect({ host: '127.0.0.1', port }));
    expect(error).toBeInstanceOf(errors.ConnectError);
    expect(error).toMatchObject({
      code: 'LB_WIRE_CONNECT_FAILED',
      syscallCode: 'ECONNREFUSED',
      host: '127.0.0.1',
      port,
    });
    expect((error as errors.ConnectError).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('an unknown host: ConnectError with ENOTFOUND', async () => {
    const error = await caught(ClientConnection.connect({ host: 'nonexistent.invalid', port: 80 }));
    expect(error).toBeInstanceOf(errors.ConnectError);
    expect(error).toMatchObject({ code: 'LB_WIRE_CONNECT_FAILED', syscallCode: 'ENOTFOUND' });
  });

  test('httpRequest to a closed port rejects with ConnectError', async () => {
    const port = await closedPort();
    expect(await caught(httpRequest(`http://127.0.0.1:${port}/`))).toMatchObject({
      code: 'LB_WIRE_CONNECT_FAILED',
      syscallCode: 'ECONNREFUSED',
    });
  });

  describe('a listener whose accept queue is full (SYNs dropped)', () => {
    /**
     * node:net always accepts, so the black hole is a python3 socket with listen(0) that never
     * accepts: once one connection fills its queue, the kernel drops further SYNs.
     */
    async function blackHole(): Promise<number | null> {
      const script =
        'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\n' +
        'print(s.getsockname()[1],flush=True)\nsys.stdin.read()\n';
      const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'ignore'] });
      const spawned = await Promise.race([
        once(child, 'spawn').then(() => true),
        once(child, 'error').then(() => false),
      ]);
      if (!spawned) return null;
      cleanups.push(() => child.kill());
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const port = Number(line.toString().trim());
      const filler = net.connect({ host: '127.0.0.1', port });
      filler.on('error', () => {});
      cleanups.push(() => filler.destroy());
      await once(filler, 'connect');
      return port;
    }

    test('connectTimeoutMs: ConnectTimeoutError', async (context) => {
      const port = await blackHole();
      if (port === null) {
        console.log('skipped: python3 is not installed');
        context.skip();
        return;
      }
      const error = await caught(
        ClientConnection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 100 }),
      );
      expect(error).toBeInstanceOf(errors.ConnectTimeoutError);
      expect(error).toMatchObject({ code: 'LB_WIRE_CONNECT_TIMEOUT', timeoutMs: 100, port });
    });

    test('abort while connecting: RequestAbortedError', async (context) => {
      const port = await blackHole();
      if (port === null) {
        console.log('skipped: python3 is not installed');
        context.skip();
        return;
      }
      const controller = new AbortController();
      const pending = ClientConnection.connect({
        host: '127.0.0.1',
        port,
        signal: controller.signal,
      });
      controller.abort();
      expect(await caught(pending)).toBeInstanceOf(errors.RequestAbortedError);
    });
  });
});

describe('bad input', () => {
  test.each([0, -1, 65536, 1.5, Number.NaN])(
    'connect to port %s: LB_WIRE_INVALID_ARG',
    async (port) => {
      const error = await caught(ClientConnection.connect({ host: '127.0.0.1', port }));
      expect(error).toBeInstanceOf(errors.InvalidArgumentError);
      expect(error).toMatchObject({ code: 'LB_WIRE_INVALID_ARG' });
    },
  );

  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])(
    'connectTimeoutMs %s: LB_WIRE_INVALID_ARG',
    async (connectTimeoutMs) => {
      const error = await caught(
        ClientConnection.connect({ host: '127.0.0.1', port: 80, connectTimeoutMs }),
      );
      expect(error).toBeInstanceOf(errors.InvalidArgumentError);
    },
  );

  test('an aborted signal rejects connect at once', async () => {
    const reason = new Error('stop');
    const error = await caught(
      ClientConnection.connect({ host: '127.0.0.1', port: 80, signal: AbortSignal.abort(reason) }),
    );
    expect(error).toMatchObject({ code: 'LB_WIRE_ABORTED', cause: reason });
  });

  describe('request validation rejects (never throws) and sends nothing', () => {
    let connection: ClientConnection;
    let received = '';

    async function setUp(): Promise<void> {
      received = '';
      const port = await rawServer((socket) => {
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
        });
      });
      connection = await connect(port);
    }

    test.each<[string, object, unknown, string]>([
      [
        'header value with CRLF',
        { headers: { 'X-A': 'a\r\nX-B: b' } },
        errors.InvalidHeaderError,
        'LB_WIRE_INVALID_HEADER',
      ],
      [
        'header name with a space',
        { headers: [['X A', 'b']] },
        errors.InvalidHeaderError,
        'LB_WIRE_INVALID_HEADER',
      ],
      [
        'caller Content-Length',
        { headers: { 'content-length': '5' } },
        errors.InvalidHeaderError,
        'LB_WIRE_INVALID_HEADER',
      ],
      [
        'caller Transfer-Encoding',
        { headers: { 'Transfer-Encoding': 'chunked' } },
        errors.InvalidHeaderError,
        'LB_WIRE_INVALID_HEADER',
      ],
      [
        'path with a space',
        { path: '/a b' },
        errors.InvalidRequestLineError,
        'LB_WIRE_INVALID_REQUEST_LINE',
      ],
      [
        'method with CRLF',
        { method: 'GET /x HTTP/1.1\r\n' },
        errors.InvalidRequestLineError,
        'LB_WIRE_INVALID_REQUEST_LINE',
      ],
      [
        'responseTimeoutMs 0',
        { responseTimeoutMs: 0 },
        errors.InvalidArgumentError,
        'LB_WIRE_INVALID_ARG',
      ],
      [
        'idleTimeoutMs -1',
        { idleTimeoutMs: -1 },
        errors.InvalidArgumentError,
        'LB_WIRE_INVALID_ARG',
      ],
    ])('%s', async (_label, options, type, code) => {
      await setUp();
      const pending = connection.request({ path: '/', ...options });
      expect(pending).toBeInstanceOf(Promise);
      const error = await caught(pending);
      expect(error).toBeInstanceOf(type as new () => Error);
      expect(error).toMatchObject({ code });
      expect(connection.reusable).toBe(true);
      expect(received).toBe('');
    });
  });

  test.each([
    ['not a url', 'LB_WIRE_INVALID_URL'],
    ['https://example.com/', 'LB_WIRE_INVALID_URL'],
    ['ftp://example.com/', 'LB_WIRE_INVALID_URL'],
    ['http://user:pw@example.com/', 'LB_WIRE_INVALID_URL'],
  ])('httpRequest(%j) rejects with %s', async (url, code) => {
    const error = await caught(httpRequest(url));
    expect(error).toBeInstanceOf(errors.InvalidUrlError);
    expect(error).toMatchObject({ code, url });
  });

  test('parseHttpUrl', () => {
    expect(parseHttpUrl('http://mirror:8080/a%20b?x=1#frag')).toEqual({
      host: 'mirror',
      port: 8080,
      path: '/a%20b?x=1',
    });
    expect(parseHttpUrl('http://[::1]/')).toEqual({ host: '::1', port: 80, path: '/' });
    expect(parseHttpUrl('HTTP://Example.COM')).toEqual({
      host: 'example.com',
      port: 80,
      path: '/',
    });
  });
});
