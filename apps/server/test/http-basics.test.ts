/** GET/HEAD, headers, errors, keep-alive and pipelining, over raw sockets with literal bytes. */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileServer } from '../src/file-server.js';
import { exchange, request, startServer, writeRandomFile } from './helpers.js';

let server: FileServer;
let port: number;
let big: Buffer;

const root = useTempDir(async (dir) => {
  await writeFile(join(dir, 'hello.txt'), 'hello world\n');
  big = await writeRandomFile(join(dir, 'big.bin'), 3 * 1024 * 1024 + 17);
  await mkdir(join(dir, 'docs'));
  await writeFile(join(dir, 'docs', 'page.html'), '<p>hi</p>');
  await writeFile(join(dir, 'data.unknownext'), 'x');
});

beforeAll(async () => {
  ({ server, port } = await startServer({ root: root.path, serverId: 'alpha' }));
  // Asking for the fragment map computes (and caches) the digests, so Repr-Digest is present.
  for (const name of ['hello.txt', 'big.bin']) await request(port, `/.lb/fragment-map/${name}`);
});

afterAll(async () => {
  await server.close();
});

describe('GET and HEAD of a file', () => {
  it('answers 200 with the bytes and every documented header', async () => {
    const response = await request(port, '/hello.txt');
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello world\n');
    const h = response.headers;
    expect(h.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(h.get('content-length')).toBe('12');
    expect(h.get('accept-ranges')).toBe('bytes');
    expect(h.get('etag')).toMatch(/^"[0-9a-f]+-c"$/);
    expect(new Date(h.get('last-modified')!).getTime()).toBeGreaterThan(0);
    expect(h.get('date')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(h.get('repr-digest')).toBe(
      `sha-256=:${createHash('sha256').update('hello world\n').digest('base64')}:`,
    );
    expect(h.get('link')).toBe('</.lb/fragment-map/hello.txt>; rel="describedby"');
    expect(response.keepAlive).toBe(true);
  });

  it('serves a multi-megabyte file byte for byte', async () => {
    const response = await request(port, '/big.bin');
    expect(response.status).toBe(200);
    expect(response.body.equals(big)).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('HEAD sends the same head and no body', async () => {
    const get = await request(port, '/big.bin');
    const result = await exchange(port, 'HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n', {
      methods: ['HEAD'],
      timeoutMs: 500,
    });
    const head = result.responses[0]!;
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.get('content-length')).toBe(String(big.length));
    for (const name of ['etag', 'last-modified', 'content-type', 'repr-digest', 'accept-ranges']) {
      expect(head.headers.get(name)).toBe(get.headers.get(name));
    }
    // Nothing but the head arrived.
    expect(result.raw.toString('latin1').endsWith('\r\n\r\n')).toBe(true);
  });

  it('types unknown extensions as application/octet-stream', async () => {
    const response = await request(port, '/data.unknownext');
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
  });
});

describe('seed endpoints', () => {
  it('GET /heartbeat → 200 with an empty body', async () => {
    const response = await request(port, '/heartbeat');
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.headers.get('content-length')).toBe('0');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('GET /home → Hello from Server: <id>', async () => {
    const response = await request(port, '/home');
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('Hello from Server: alpha');
  });

  it('HEAD works on both', async () => {
    expect((await request(port, '/heartbeat', {}, 'HEAD')).status).toBe(200);
    const home = await request(port, '/home', {}, 'HEAD');
    expect(home.headers.get('content-length')).toBe('24');
  });
});

describe('methods, versions and errors', () => {
  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'BREW'])(
    '%s → 405 with Allow: GET, HEAD',
    async (method) => {
      const response = await request(port, '/hello.txt', {}, method);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    },
  );

  it('a POST with a body is answered 405 and the connection closes', async () => {
    const result = await exchange(
      port,
      'POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc',
      { methods: ['POST'] },
    );
    expect(result.responses[0]!.status).toBe(405);
    expect(result.responses[0]!.headers.get('connection')).toBe('close');
  });

  it('HTTP/2.0 and HTTP/0.9-style versions → 505 and close', async () => {
    const result = await exchange(port, 'GET / HTTP/2.0\r\nHost: x\r\n\r\n', { timeoutMs: 2000 });
    expect(result.raw.toString('latin1')).toMatch(/^HTTP\/1\.1 505 HTTP Version Not Supported\r\n/);
    expect(result.closed).toBe(true);
  });

  it.each([
    ['garbage request line', 'HELLO\r\n\r\n', 400],
    ['space in target', 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['bad header name', 'GET / HTTP/1.1\r\nHo st: x\r\n\r\n', 400],
    [
      'two Content-Lengths',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      400,
    ],
    [
      'CL and TE',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
      400,
    ],
    ['bare LF in header', 'GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n', 400],
    ['missing Host on 1.1', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['request line too long', `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
    [
      'header section too large',
      `GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
    ],
  ])('%s → %d and the connection closes', async (_name, bytes, status) => {
    const result = await exchange(port, bytes, { timeoutMs: 2000 });
    expect(result.raw.toString('latin1')).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(result.raw.toString('latin1')).toContain('Connection: close\r\n');
    expect(result.closed).toBe(true);
  });

  it('answers requests before the malformed one, then the error, then closes', async () => {
    const result = await exchange(
      port,
      'GET /home HTTP/1.1\r\nHost: x\r\n\r\nGET /heartbeat HTTP/1.1\r\nHost: x\r\n\r\nBAD\r\n\r\n',
      { timeoutMs: 2000 },
    );
    expect(result.responses.map((r) => r.status)).toEqual([200, 200, 400]);
    expect(result.closed).toBe(true);
  });

  it('404 for a missing file, with a short text body', async () => {
    const response = await request(port, '/nope.txt');
    expect(response.status).toBe(404);
    expect(response.body.toString()).toBe('404 Not Found\n');
  });

  it('redirects a directory without its slash, keeping the query', async () => {
    const response = await request(port, '/docs?x=1');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/docs/?x=1');
  });

  it('accepts absolute-form targets', async () => {
    const response = await request(port, 'http://example.com/hello.txt');
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello world\n');
  });
});

describe('keep-alive and pipelining', () => {
  it('answers pipelined requests in order on one connection', async () => {
    const requests = ['/home', '/hello.txt', '/nope', '/heartbeat', '/big.bin', '/home']
      .map((target) => `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`)
      .join('');
    const result = await exchange(port, requests, { methods: new Array(6).fill('GET') });
    expect(result.responses.map((r) => r.status)).toEqual([200, 200, 404, 200, 200, 200]);
    expect(result.responses[1]!.body.toString()).toBe('hello world\n');
    expect(result.responses[4]!.body.equals(big)).toBe(true);
    expect(result.closed).toBe(false);
  });

  it('pipelines GET and HEAD mixed, split at awkward byte boundaries', async () => {
    const text =
      'HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n';
    const pieces = [text.slice(0, 7), text.slice(7, 40), text.slice(40, 41), text.slice(41)];
    const result = await exchange(port, '', { methods: ['HEAD', 'GET'], pieces, pauseMs: 20 });
    expect(result.responses.map((r) => [r.status, r.body.toString()])).toEqual([
      [200, ''],
      [200, 'hello world\n'],
    ]);
  });

  it('closes after a response to Connection: close', async () => {
    const result = await exchange(
      port,
      'GET /home HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /home HTTP/1.1\r\nHost: x\r\n\r\n',
      { timeoutMs: 2000 },
    );
    expect(result.responses).toHaveLength(1);
    expect(result.responses[0]!.headers.get('connection')).toBe('close');
    expect(result.closed).toBe(true);
  });

  it('HTTP/1.0: closes by default, keeps alive on request', async () => {
    const plain = await exchange(port, 'GET /home HTTP/1.0\r\n\r\n', { timeoutMs: 2000 });
    expect(plain.raw.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(plain.closed).toBe(true);
    const kept = await exchange(
      port,
      'GET /home HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /home HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
      { methods: ['GET', 'GET'] },
    );
    expect(kept.responses).toHaveLength(2);
    expect(kept.responses[0]!.headers.get('connection')).toBe('keep-alive');
    expect(kept.closed).toBe(false);
  });

  it('answers a request whose sender half-closed right after it', async () => {
    const { connect } = await import('node:net');
    const received = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end('GET /home HTTP/1.1\r\nHost: x\r\n\r\n');
      });
      let text = '';
      socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
    });
    expect(received).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Hello from Server: alpha$/);
  });

  it('ignores an Upgrade request and answers it normally', async () => {
    const result = await exchange(
      port,
      'GET /home HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET /heartbeat HTTP/1.1\r\nHost: x\r\n\r\n',
      { methods: ['GET', 'GET'] },
    );
    expect(result.responses.map((r) => r.status)).toEqual([200, 200]);
  });
});
