/**
 * The server connection loop on real sockets, fed literal bytes. Timeouts are short so the tests
 * are quick; only outcomes (answers, their order, a close) are asserted, never durations.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Answer,
  type HttpHandler,
  type HttpListener,
  listen,
  type RequestRejection,
  type ServeOptions,
  type ServerRequest,
  serializeResponseHead,
  serve,
} from '../src/index.js';

function text(status: number, body: string, close: boolean): string {
  const headers: Array<[string, string | number]> = [['Content-Length', Buffer.byteLength(body)]];
  if (close) headers.push(['Connection', 'close']);
  return serializeResponseHead({ statusCode: status, headers }).toString('latin1') + body;
}

/** Echoes method and target; `/slow` answers after a delay, `/boom` throws, `/bytes` is a Buffer. */
function echoHandler(seen: string[] = []): HttpHandler {
  return {
    handle(request: ServerRequest): Answer | Promise<Answer> {
      seen.push(request.target);
      const body = `${request.method} ${request.target}${request.body.length > 0 ? ` ${Buffer.from(request.body)}` : ''}`;
      if (request.target === '/boom') throw new Error('boom');
      if (request.target === '/slow') {
        return new Promise((resolve) =>
          setTimeout(() => resolve(text(200, body, request.close)), 30),
        );
      }
      if (request.target === '/stream') {
        return async (stream) => {
          await sleep(30);
          stream.write(text(200, body, request.close));
          return true;
        };
      }
      if (request.target === '/bytes') return Buffer.from(text(200, body, request.close), 'latin1');
      return text(200, body, request.close);
    },
    reject(rejection: RequestRejection): Answer {
      return text(rejection.status, rejection.reason, true);
    },
    fail(_error: unknown, request: ServerRequest): Answer {
      return text(500, `failed ${request.target}`, true);
    },
  };
}

const listeners: HttpListener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close(0)));
});

async function start(
  options: ServeOptions = {},
  handler = echoHandler(),
  extra: { allowHalfOpen?: boolean; tls?: tls.TlsOptions } = {},
): Promise<HttpListener> {
  const listener = await listen({ host: '127.0.0.1', port: 0, ...extra }, handler, options);
  listeners.push(listener);
  return listener;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything received on `socket` until the server closes it. */
function readAll(socket: net.Socket | tls.TLSSocket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
}

/** Writes the string parts in order, waiting that many ms at each number; resolves to the answer. */
async function exchange(port: number, ...parts: (string | number)[]): Promise<string> {
  const socket = await connect(port);
  const done = readAll(socket);
  for (const part of parts) {
    if (typeof part === 'number') await sleep(part);
    else socket.write(part);
  }
  return done;
}

const statuses = (received: string) =>
  [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1]);
const bodies = (received: string) =>
  received.split(/HTTP\/1\.1 \d+ [^\r]*\r\n(?:[^\r]+\r\n)*\r\n/).slice(1);

describe('serve: pipelining and keep-alive', () => {
  it('answers pipelined requests in order, mixing immediate, promised and streamed answers', async () => {
    const { address } = await start();
    const received = await exchange(
      address.port,
      'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /stream HTTP/1.1\r\nHost: x\r\n\r\nHEAD /bytes HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(bodies(received)).toEqual([
      'GET /a',
      'GET /slow',
      'GET /stream',
      'HEAD /bytes',
      'GET /last',
    ]);
    expect(received.endsWith('Connection: close\r\n\r\nGET /last')).toBe(true);
  });

  it('writes the answers to one read together', async () => {
    const { address } = await start();
    const socket = await connect(address.port);
    const chunks: string[] = [];
    socket.on('data', (chunk) => chunks.push(chunk.toString('latin1')));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(
      'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    await closed;
    expect(chunks).toHaveLength(1);
    expect(statuses(chunks[0]!)).toEqual(['200', '200', '200']);
  });

  it('keeps the connection for the next request, and HTTP/1.0 closes by default', async () => {
    const { address } = await start();
    const socket = await connect(address.port);
    const received = readAll(socket);
    socket.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(50);
    socket.write('GET /two HTTP/1.0\r\n\r\nGET /never HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(bodies(await received)).toEqual(['GET /one', 'GET /two']);
  });

  it('answers a request whose sender half-closed right after it', async () => {
    const { address } = await start({}, echoHandler(), { allowHalfOpen: true });
    const socket = await connect(address.port);
    const received = readAll(socket);
    socket.end('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    // The answer arrives, then the connection closes (readAll resolves on the close).
    expect(bodies(await received)).toEqual(['GET /stream']);
  });

  it('declines an upgrade by answering normally, and reads nothing after CONNECT', async () => {
    const { address } = await start();
    const received = await exchange(
      address.port,
      'GET /up HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n' +
        'CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\nGET /tunnel-bytes HTTP/1.1\r\n\r\n',
    );
    expect(bodies(received)).toEqual(['GET /up', 'CONNECT h:443']);
    expect(received).toContain('Connection: close\r\n');
  });

  it('closes after an unread body behind Expect: 100-continue instead of waiting for it', async () => {
    const { address } = await start();
    const received = await exchange(
      address.port,
      'POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n',
    );
    expect(bodies(received)).toEqual(['POST /up']);
    expect(received).toContain('Connection: close\r\n');
  });
});

describe('serve: errors', () => {
  it('answers the requests before malformed input, then its status, then closes', async () => {
    const { address } = await start();
    const received = await exchange(
      address.port,
      'GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /v HTTP/2.0\r\nHost: x\r\n\r\nGET /never HTTP/1.1\r\n\r\n',
    );
    expect(statuses(received)).toEqual(['200', '505']);
    expect(bodies(received)[1]).toBe('malformed request (HPE_INVALID_VERSION)');
  });

  it('answers a handler error with fail(), closes, and keeps serving other connections', async () => {
    const seen: string[] = [];
    const { address } = await start({}, echoHandler(seen));
    const received = await exchange(
      address.port,
      'GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /never HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    expect(statuses(received)).toEqual(['200', '500']);
    expect(seen).toEqual(['/ok', '/boom']);
    expect(await exchange(address.port, 'GET /after HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200/);
  });

  it('a truncated request followed by the client FIN gets 400', async () => {
    const { address } = await start({}, echoHandler(), { allowHalfOpen: true });
    const socket = await connect(address.port);
    const received = readAll(socket);
    socket.end('GET /half HTTP/1.1\r\nHo');
    expect(statuses(await received)).toEqual(['400']);
  });
});

describe('serve: request bodies', () => {
  it('collects bodies up to maxBodyBytes and hands the request over complete', async () => {
    const { address } = await start({ maxBodyBytes: 16 });
    const received = await exchange(
      address.port,
      'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' +
        'POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
    );
    expect(bodies(received)).toEqual(['POST /a hello', 'POST /b abcde']);
  });

  it('refuses a body over the limit with 413 and closes', async () => {
    const { address } = await start({ maxBodyBytes: 4 });
    const declared = await exchange(
      address.port,
      'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello',
    );
    expect(statuses(declared)).toEqual(['413']);
    expect(bodies(declared)).toEqual(['body larger than 4 bytes']);
    const chunked = await exchange(
      address.port,
      'POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n',
    );
    expect(statuses(chunked)).toEqual(['413']);
  });
});

describe('serve: timeouts', () => {
  it('answers 408 to a head that trickles in (slowloris) and closes', async () => {
    const { address } = await start({ headerTimeoutMs: 100, idleTimeoutMs: 60_000 });
    const socket = await connect(address.port);
    const received = readAll(socket);
    socket.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHo');
    const trickle = setInterval(() => socket.write('x'), 20);
    socket.once('close', () => clearInterval(trickle));
    const answer = await received;
    expect(statuses(answer)).toEqual(['200', '408']);
    expect(answer.endsWith('request not received within 0.1 s')).toBe(true);
  });

  it('does not time a head while an earlier answer is still pending', async () => {
    const slow: HttpHandler = {
      ...echoHandler(),
      handle: (request) =>
        new Promise((resolve) =>
          setTimeout(() => resolve(text(200, request.target, request.close)), 300),
        ),
    };
    const { address } = await start({ headerTimeoutMs: 100 }, slow);
    const received = exchange(
      address.port,
      'GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\n',
      150,
      'Host: x\r\nConnection: close\r\n\r\n',
    );
    expect(statuses(await received)).toEqual(['200', '200']);
  });

  it('keeps no head timer for complete requests', async () => {
    const { address } = await start({ headerTimeoutMs: 50 });
    const received = exchange(
      address.port,
      'GET /a HTTP/1.1\r\nHost: x\r\n\r\n',
      200,
      'GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(statuses(await received)).toEqual(['200', '200']);
  });

  it('closes a silent connection, and one idle after an answer, without a word', async () => {
    const { address } = await start({ idleTimeoutMs: 100 });
    expect(await readAll(await connect(address.port))).toBe('');
    expect(statuses(await exchange(address.port, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n'))).toEqual([
      '200',
    ]);
  });

  it('drops a client that stops reading an answer', async () => {
    const big = 'x'.repeat(8 * 1024 * 1024);
    const handler: HttpHandler = { ...echoHandler(), handle: () => text(200, big, false) };
    const listener = await start({ sendTimeoutMs: 200 }, handler);
    const socket = await connect(listener.address.port);
    socket.on('error', () => {});
    socket.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\n');
    socket.pause();
    while (listener.connections > 0) await sleep(20);
    socket.destroy();
  });
});

describe('serve: backpressure', () => {
  it('answers a pipeline far longer than maxPipelined, in order', async () => {
    const { address } = await start(
      { maxPipelined: 2 },
      {
        ...echoHandler(),
        handle: (request) => Promise.resolve(text(200, request.target, request.close)),
      },
    );
    const targets = Array.from({ length: 300 }, (_, i) => `/r${i}`);
    const received = await exchange(
      address.port,
      `${targets.map((t) => `GET ${t} HTTP/1.1\r\nHost: x\r\n\r\n`).join('')}GET /end HTTP/1.0\r\n\r\n`,
    );
    expect(bodies(received)).toEqual([...targets, '/end']);
  });
});

describe('listen: drain and destroy', () => {
  it('drains: an idle connection closes at once, a half-sent request is answered first', async () => {
    const listener = await listen({ host: '127.0.0.1', port: 0 }, (stream) =>
      serve(stream, echoHandler()),
    );
    const idle = await connect(listener.address.port);
    const busy = await connect(listener.address.port);
    const busyText = readAll(busy);
    busy.write('GET /half HTTP/1.1\r\nHost: x\r\n');
    while (listener.connections < 2) await sleep(10);
    await sleep(50);
    const closing = listener.close(60_000);
    await new Promise((resolve) => idle.once('close', resolve));
    busy.write('\r\n');
    const answer = await busyText;
    await closing;
    expect(bodies(answer)).toEqual(['GET /half']);
    expect(answer).toContain('Connection: close\r\n');
    expect(listener.connections).toBe(0);
  });

  it('destroys what is left when the grace period ends', async () => {
    const listener = await listen({ host: '127.0.0.1', port: 0 }, (stream) =>
      serve(stream, echoHandler()),
    );
    const socket = await connect(listener.address.port);
    const received = readAll(socket);
    socket.write('GET /never-finished HTTP/1.1\r\n');
    await sleep(50);
    await listener.close(50);
    expect(await received).toBe('');
  });

  it('refuses connections over maxConnections and rejects a port in use', async () => {
    const listener = await listen({ host: '127.0.0.1', port: 0, maxConnections: 1 }, (stream) =>
      serve(stream, echoHandler()),
    );
    listeners.push(listener);
    const held = await connect(listener.address.port);
    const extra = await connect(listener.address.port);
    expect(await readAll(extra)).toBe('');
    held.destroy();
    await expect(
      listen({ host: '127.0.0.1', port: listener.address.port, exclusive: true }, (stream) =>
        serve(stream, echoHandler()),
      ),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('serve over node:tls', () => {
  it('serves pipelined requests on a TLS socket', async (context) => {
    const dir = mkdtempSync(join(tmpdir(), 'http-wire-tls-'));
    try {
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=localhost',
            '-keyout',
            join(dir, 'key.pem'),
            '-out',
            join(dir, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
      } catch {
        console.log('skipped: openssl is not installed');
        context.skip();
      }
      const cert = readFileSync(join(dir, 'cert.pem'));
      const key = readFileSync(join(dir, 'key.pem'));
      const { address } = await start({}, echoHandler(), { tls: { key, cert } });
      const socket = tls.connect({
        host: '127.0.0.1',
        port: address.port,
        ca: cert,
        servername: 'localhost',
      });
      await new Promise((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      const received = readAll(socket);
      socket.write(
        'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /v HTTP/9.9\r\n\r\n',
      );
      const answer = await received;
      expect(statuses(answer)).toEqual(['200', '200', '505']);
      expect(bodies(answer).slice(0, 2)).toEqual(['GET /a', 'GET /slow']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
