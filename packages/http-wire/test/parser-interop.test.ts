/**
 * Interop over real sockets: Node's http client, fetch and curl talk to a server made of node:net
 * and RequestParser; ResponseParser reads what Node's own http server writes.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ParseEvent } from '../src/parse-event.js';
import { type RequestHead, RequestParser } from '../src/request-parser.js';
import { type ResponseHead, ResponseParser } from '../src/response-parser.js';

interface ReceivedRequest {
  connection: number;
  method: string;
  target: string;
  chunked: boolean;
  contentLength: number | null;
  expectContinue: boolean;
  bodyBytes: number;
  sha256: string;
}

/** A tiny HTTP/1.1 server on node:net + RequestParser answering with a fixed, hand-made response. */
async function startParserServer() {
  const received: ReceivedRequest[] = [];
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const parser = new RequestParser();
    let head: RequestHead | null = null;
    let hash = createHash('sha256');
    let bodyBytes = 0;
    const onEvent = (event: ParseEvent<RequestHead>) => {
      if (event.kind === 'head') {
        head = event.head;
        hash = createHash('sha256');
        bodyBytes = 0;
        if (head.expectContinue) socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      } else if (event.kind === 'body') {
        hash.update(event.data);
        bodyBytes += event.data.length;
      } else if (head !== null) {
        const request: ReceivedRequest = {
          connection,
          method: head.method,
          target: head.target,
          chunked: head.chunked,
          contentLength: head.contentLength,
          expectContinue: head.expectContinue,
          bodyBytes,
          sha256: hash.digest('hex'),
        };
        received.push(request);
        const json = JSON.stringify(request);
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n' +
            `Content-Length: ${Buffer.byteLength(json)}\r\n` +
            (head.keepAlive ? '' : 'Connection: close\r\n') +
            `\r\n${json}`,
        );
        if (!head.keepAlive) socket.end();
      }
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const event of parser.execute(chunk).events) onEvent(event);
      } catch {
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      }
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        // Clients keep idle connections open; they are not the subject here.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function get(
  agent: http.Agent,
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('clients against a node:net server built on RequestParser', () => {
  let server: Awaited<ReturnType<typeof startParserServer>>;
  beforeAll(async () => {
    server = await startParserServer();
  });
  afterAll(async () => {
    await server.close();
  });

  test('http.request with keep-alive: five requests on one connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = server.connections();
    const replies = [];
    for (let k = 0; k < 5; k++) replies.push(await get(agent, server.port, `/file/${k}?q=${k}`));
    agent.destroy();
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const seen = replies.map((r) => JSON.parse(r.body) as ReceivedRequest);
    expect(seen.map((r) => r.target)).toEqual([0, 1, 2, 3, 4].map((k) => `/file/${k}?q=${k}`));
    expect(new Set(seen.map((r) => r.connection)).size).toBe(1);
    expect(server.connections()).toBe(before + 1);
  });

  test('http.request chunked POST (no Content-Length): body arrives intact', async () => {
    const parts = [
      Buffer.from('first part;'),
      Buffer.alloc(70_000, 0x61),
      Buffer.from('\r\n0\r\n\r\n'),
    ];
    const reply = await new Promise<ReceivedRequest>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/upload' },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => {
            body += d.toString();
          });
          res.on('end', () => resolve(JSON.parse(body) as ReceivedRequest));
        },
      );
      req.on('error', reject);
      for (const part of parts) req.write(part);
      req.end();
    });
    expect(reply).toMatchObject({
      method: 'POST',
      chunked: true,
      contentLength: null,
      bodyBytes: 70_000 + 11 + 7,
      sha256: sha256(Buffer.concat(parts)),
    });
  });

  test('fetch: GET, POST with Content-Length, and a streamed (chunked) POST', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const getReply = (await (await fetch(`${base}/a%20b?x=1`)).json()) as ReceivedRequest;
    expect(getReply).toMatchObject({ method: 'GET', target: '/a%20b?x=1', bodyBytes: 0 });

    const text = 'posted body ✓';
    const postReply = (await (
      await fetch(`${base}/p`, { method: 'POST', body: text })
    ).json()) as ReceivedRequest;
    expect(postReply).toMatchObject({
      contentLength: Buffer.byteLength(text),
      chunked: false,
      sha256: sha256(text),
    });

    const chunks = ['alpha-', 'beta-', 'gamma'];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
        controller.close();
      },
    });
    const streamed = (await (
      await fetch(`${base}/s`, { method: 'PUT', body: stream, duplex: 'half' } as RequestInit)
    ).json()) as ReceivedRequest;
    expect(streamed).toMatchObject({
      method: 'PUT',
      chunked: true,
      sha256: sha256(chunks.join('')),
    });
  });

  const curlMissing = spawnSync('curl', ['--version']).error !== undefined;
  if (curlMissing) console.log('skipping curl interop: curl is not installed');

  const curl = (args: string[], input?: string) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile('curl', ['-sS', ...args], (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
      if (input !== undefined) child.stdin?.end(input);
    });

  test.skipIf(curlMissing)('curl: two URLs reuse one connection', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const out = await curl([`${base}/one`, `${base}/two`]);
    const replies = out
      .split('}{')
      .map((part, k, all) => (k > 0 ? '{' : '') + part + (k < all.length - 1 ? '}' : ''))
      .map((part) => JSON.parse(part) as ReceivedRequest);
    expect(replies.map((r) => r.target)).toEqual(['/one', '/two']);
    expect(replies[0]?.connection).toBe(replies[1]?.connection);
  });

  test.skipIf(curlMissing)('curl: chunked upload with Expect: 100-continue', async () => {
    const body = 'x'.repeat(5000);
    const out = await curl(
      [
        '-H',
        'Transfer-Encoding: chunked',
        '-H',
        'Expect: 100-continue',
        '--data-binary',
        '@-',
        `http://127.0.0.1:${server.port}/up`,
      ],
      body,
    );
    expect(JSON.parse(out)).toMatchObject({
      method: 'POST',
      chunked: true,
      expectContinue: true,
      bodyBytes: 5000,
      sha256: sha256(body),
    });
  });

  test.skipIf(curlMissing)('curl --http1.0: the server closes after the response', async () => {
    const out = await curl(['--http1.0', `http://127.0.0.1:${server.port}/old`]);
    expect(JSON.parse(out)).toMatchObject({ method: 'GET', target: '/old' });
  });
});

interface ParsedResponse {
  head: ResponseHead;
  body: string;
}

/** Writes raw request bytes to a server and parses everything it answers with ResponseParser. */
function exchange(
  port: number,
  steps: { write: string; methods: string[] }[],
  expectedResponses: number,
): Promise<{ responses: ParsedResponse[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const parser = new ResponseParser();
    const responses: ParsedResponse[] = [];
    let current: ParsedResponse | null = null;
    let finals = 0;
    let step = 0;
    const socket = net.connect(port, '127.0.0.1');
    const sendNext = () => {
      const next = steps[step++];
      if (next === undefined) return;
      for (const m of next.methods) parser.expectResponseTo(m);
      socket.write(next.write);
    };
    const onEvents = (events: ParseEvent<ResponseHead>[]) => {
      for (const event of events) {
        if (event.kind === 'head') {
          current = { head: event.head, body: '' };
          responses.push(current);
          // The next step of the exchange goes out when an interim (1xx) response arrives.
          if (event.head.statusCode < 200) sendNext();
        } else if (event.kind === 'body' && current !== null) {
          current.body += Buffer.from(event.data).toString('latin1');
        } else if (event.kind === 'end' && current !== null && current.head.statusCode >= 200) {
          finals++;
        }
      }
      if (finals === expectedResponses) {
        socket.end();
        resolve({ responses, closed: false });
      }
    };
    socket.on('connect', sendNext);
    socket.on('data', (chunk: Buffer) => {
      try {
        onEvents(parser.execute(chunk).events);
      } catch (err) {
        reject(err);
      }
    });
    socket.on('end', () => {
      try {
        onEvents(parser.finish().events);
        resolve({ responses, closed: true });
      } catch (err) {
        reject(err);
      }
    });
    socket.on('error', reject);
  });
}

describe('ResponseParser against node:http.createServer over a raw socket', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/cl') {
        res.setHeader('Content-Length', '5');
        res.end(req.method === 'HEAD' ? undefined : 'hello');
      } else if (req.url === '/chunked') {
        res.write('hel');
        setImmediate(() => res.end('lo, chunked world'));
      } else if (req.url === '/empty') {
        res.statusCode = 204;
        res.end();
      } else if (req.url === '/echo') {
        const parts: Buffer[] = [];
        req.on('data', (d: Buffer) => parts.push(d));
        req.on('end', () => res.end(Buffer.concat(parts)));
      } else {
        res.write('streamed ');
        res.end('until close');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('pipelined Content-Length, chunked, HEAD and 204 responses on one keep-alive socket', async () => {
    const request = (method: string, path: string) =>
      `${method} ${path} HTTP/1.1\r\nHost: t\r\n\r\n`;
    const { responses } = await exchange(
      port,
      [
        {
          write:
            request('GET', '/cl') +
            request('GET', '/chunked') +
            request('HEAD', '/cl') +
            request('GET', '/empty'),
          methods: ['GET', 'GET', 'HEAD', 'GET'],
        },
      ],
      4,
    );
    expect(responses.map((r) => [r.head.statusCode, r.body, r.head.keepAlive])).toEqual([
      [200, 'hello', true],
      [200, 'hello, chunked world', true],
      [200, '', true],
      [204, '', true],
    ]);
    expect(responses[1]?.head.chunked).toBe(true);
    expect(responses[2]?.head.contentLength).toBe(5);
  });

  test('Expect: 100-continue: the interim response comes first, then the final one', async () => {
    const { responses } = await exchange(
      port,
      [
        {
          write:
            'PUT /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n',
          methods: ['PUT'],
        },
        { write: 'data', methods: [] },
      ],
      1,
    );
    expect(responses.map((r) => [r.head.statusCode, r.body])).toEqual([
      [100, ''],
      [200, 'data'],
    ]);
  });

  test('HTTP/1.0 request: close-delimited body ended by finish()', async () => {
    const { responses, closed } = await exchange(
      port,
      [{ write: 'GET /stream HTTP/1.0\r\n\r\n', methods: ['GET'] }],
      Number.POSITIVE_INFINITY,
    );
    expect(closed).toBe(true);
    expect(responses).toHaveLength(1);
    expect(responses[0]?.head).toMatchObject({ statusCode: 200, keepAlive: false, chunked: false });
    expect(responses[0]?.body).toBe('streamed until close');
  });
});
