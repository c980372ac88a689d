import net from 'node:net';
import { statusCodes } from '@lb/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { livePool } from '../test/pool-fixtures.js';
import { RedirectRouter } from './redirect-router.js';
import { RedirectServer } from './redirect-server.js';

function liveRouter(): RedirectRouter {
  const pool = livePool([['127.0.0.1:8081', 1]]);
  return new RedirectRouter(pool, { retryAfterSeconds: 5 });
}

const servers: RedirectServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
});

async function start(
  router: RedirectRouter,
  idleTimeoutMs = 60_000,
  headerTimeoutMs = 60_000,
): Promise<number> {
  const server = new RedirectServer(router, { idleTimeoutMs, headerTimeoutMs });
  servers.push(server);
  return (await server.listen('127.0.0.1', 0)).port;
}

/** Writes `request` and resolves with everything received until the server closes. */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(request));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('RedirectServer', () => {
  it('answers 500 and closes when answering throws, and keeps serving others', async () => {
    const router = liveRouter();
    let calls = 0;
    const respond = router.respond.bind(router);
    router.respond = (facts) => {
      calls++;
      if (facts.target === '/boom') throw new Error('boom');
      return respond(facts);
    };
    const port = await start(router);
    const text = await exchange(
      port,
      'GET /ok HTTP/1.1\r\nHost: a\r\n\r\nGET /boom HTTP/1.1\r\nHost: a\r\n\r\nGET /never HTTP/1.1\r\nHost: a\r\n\r\n',
    );
    expect(statusCodes(text)).toEqual(['301', '500']);
    expect(text).toContain(
      '\r\nConnection: close\r\n\r\n500 Internal Server Error: internal error\n',
    );
    expect(calls).toBe(2);
    const after = await exchange(
      port,
      'GET /fine HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect(after).toMatch(/^HTTP\/1\.1 301 /);
  });

  it('answers Expect: 100-continue with a body at once and closes instead of waiting for it', async () => {
    const port = await start(liveRouter());
    const text = await exchange(
      port,
      'POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n',
    );
    expect(text).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(text).toContain('\r\nConnection: close\r\n');
  });

  it('answers CONNECT with 400 and closes', async () => {
    const port = await start(liveRouter());
    const text = await exchange(
      port,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    );
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain('\r\nConnection: close\r\n');
    expect(text.endsWith('400 Bad Request: request-target must be a path\n')).toBe(true);
  });

  it('closes a connection that stays idle past the idle timeout', async () => {
    const port = await start(liveRouter(), 50);
    const text = await exchange(port, 'GET /a HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 301 /);
  });

  it('answers 408 and closes when a started request does not complete in time (slowloris)', async () => {
    const port = await start(liveRouter(), 60_000, 100);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.write('GET /ok HTTP/1.1\r\nHost: a\r\n\r\nGET /slow HTTP/1.1\r\nHo');
        // Keep trickling: each byte resets the idle timer, never the request timer.
        const trickle = setInterval(() => socket.write('x'), 20);
        socket.once('close', () => clearInterval(trickle));
      });
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(statusCodes(text)).toEqual(['301', '408']);
    expect(
      text.endsWith(
        '\r\nConnection: close\r\n\r\n408 Request Timeout: request not received within 0.1 s\n',
      ),
    ).toBe(true);
  });

  it('keeps no request timer for complete requests', async () => {
    const port = await start(liveRouter(), 60_000, 50);
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.write('GET /a HTTP/1.1\r\nHost: a\r\n\r\n');
    // Well past the request timeout, the connection is still open and serves another request.
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write('GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    expect(statusCodes(text)).toEqual(['301', '301']);
  });

  it('drains: an idle connection closes at once, a half-sent request is answered first', async () => {
    const server = new RedirectServer(liveRouter(), {
      idleTimeoutMs: 60_000,
      headerTimeoutMs: 60_000,
    });
    const { port } = await server.listen('127.0.0.1', 0);
    const idle = net.connect({ host: '127.0.0.1', port });
    const busy = net.connect({ host: '127.0.0.1', port });
    await Promise.all(
      [idle, busy].map((socket) => new Promise((resolve) => socket.once('connect', resolve))),
    );
    let busyText = '';
    busy.on('data', (chunk) => {
      busyText += chunk;
    });
    busy.write('GET /half HTTP/1.1\r\nHost: a\r\n');
    // Give the half request time to reach the server (a wait, not a measured claim).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.connections).toBe(2);
    const closing = server.close(60_000);
    await new Promise((resolve) => idle.once('close', resolve));
    busy.write('\r\n');
    await new Promise((resolve) => busy.once('close', resolve));
    await closing;
    expect(busyText).toMatch(
      /^HTTP\/1\.1 301 Moved Permanently\r\nLocation: http:\/\/127\.0\.0\.1:8081\/half\r\n/,
    );
    expect(busyText).toContain('\r\nConnection: close\r\n');
    expect(server.connections).toBe(0);
  });
});
