/**
 * Three lb-servers throttled to different rates behind one balancer: the performance test ranks
 * them, redirects follow the strategy's shares, curl follows the redirects to identical bytes, and
 * the wire format (exact 301, keep-alive, pipelining, malformed requests) holds over real sockets.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  countResponses,
  header,
  peer,
  pipelinedGets,
  type RunningBalancer,
  rawExchange,
  splitResponse,
  startBalancer,
  statusCodes,
  useLbServers,
  useRoot,
} from './processes.js';

const RATES = ['1M', '4M', '16M'] as const;
const root = useRoot({ 'file one.bin': Buffer.alloc(300_000, 7) });
const servers = useLbServers(root, ['s0', 's1', 's2'], (index) => ['--rate', RATES[index]!]);
let balancer: RunningBalancer;

beforeAll(async () => {
  balancer = await startBalancer(
    [
      '--port',
      '0',
      '--admin-port',
      '0',
      '--seed',
      '42',
      '--probe-interval',
      '3600',
      ...servers.map((server) => server.id),
    ],
    {},
    { human: true },
  );
}, 60_000);

afterAll(async () => {
  await balancer?.stop();
});

describe('performance test', () => {
  it('prints the ranking, fastest first, with shares, before listening', () => {
    const [intro, columns, ...rest] = balancer.stdout;
    expect(intro).toBe('performance test: GET /test.jpg from 3 servers');
    expect(columns).toMatch(/^rank +server +time +throughput +share$/);
    const rows = rest.slice(0, 3).map((line) => line.trim().split(/ {2,}/));
    // 16M first, 1M last: the table is in rank order.
    expect(rows.map((row) => row[1])).toEqual([servers[2]!.id, servers[1]!.id, servers[0]!.id]);
    expect(rows.map((row) => row[0])).toEqual(['1', '2', '3']);
    for (const row of rows) {
      expect(row[2]).toMatch(/^\d+\.\d+ ms$|^\d+\.\d\d s$/);
      expect(row[3]).toMatch(/^\d+\.\d (KiB|MiB)\/s$/);
      expect(row[4]).toMatch(/^\d+\.\d%$/);
    }
    const shares = rows.map((row) => Number.parseFloat(row[4]!));
    expect(shares[0]).toBeGreaterThan(shares[2]!);
    expect(balancer.stdout[5]).toBe(`listening on ${balancer.url}`);
    expect(balancer.stdout[6]).toBe(`admin on ${balancer.adminUrl}`);
  });

  it('reports the same order and the last probe figures in /rep', async () => {
    const { json } = await admin(balancer.adminUrl!, '/rep');
    const byRank = [...json.servers].sort((a, b) => a.rank - b.rank);
    expect(byRank.map((server: { id: string }) => server.id)).toEqual([
      servers[2]!.id,
      servers[1]!.id,
      servers[0]!.id,
    ]);
    for (const server of json.servers) {
      expect(server).toMatchObject({
        state: 'up',
        weight: 1,
        lastProbe: { ok: true, bytes: 256 * 1024, status: 200 },
      });
    }
  });
});

describe('redirect shares', () => {
  it('6,000 redirects follow the expected shares (chi-square, fixed seed)', async () => {
    const { json: before } = await admin(balancer.adminUrl!, '/rep');
    const expectedShare = new Map<string, number>(
      before.servers.map((server: { id: string; share: number }) => [server.id, server.share]),
    );
    const targets = Array.from({ length: 6000 }, (_, i) => `/file-${i}.bin`);
    const responses = await pipelinedGets(balancer.port, targets);
    const counts = new Map<string, number>();
    for (const response of responses) {
      expect(response.statusLine).toBe('HTTP/1.1 301 Moved Permanently');
      const location = new URL(header(response, 'Location')!);
      counts.set(location.host, (counts.get(location.host) ?? 0) + 1);
    }
    let chiSquare = 0;
    for (const [id, share] of expectedShare) {
      const expected = 6000 * share;
      chiSquare += ((counts.get(id) ?? 0) - expected) ** 2 / expected;
    }
    // 2 degrees of freedom: 13.82 is the 99.9th percentile.
    expect(chiSquare).toBeLessThan(13.82);
    const { json: after } = await admin(balancer.adminUrl!, '/rep');
    for (const server of after.servers) {
      expect(
        server.redirects -
          (before.servers.find((s: { id: string }) => s.id === server.id)?.redirects ?? 0),
      ).toBe(counts.get(server.id) ?? 0);
    }
  });
});

describe('wire format', () => {
  it('answers the exact 301 message', async () => {
    const text = await rawExchange(
      balancer.port,
      'GET /dir/a.bin?x=1&y=2 HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n',
    );
    const split = splitResponse(text);
    expect(split?.rest).toBe('');
    const response = split!.response;
    const { json } = await admin(balancer.adminUrl!, '/rep');
    const location = header(response, 'Location')!;
    const chosen = new URL(location).host;
    const others = [...json.servers]
      .sort((a, b) => a.rank - b.rank)
      .map((server: { id: string }) => server.id)
      .filter((id: string) => id !== chosen);
    const body =
      '<!DOCTYPE html>\n<html><head><title>301 Moved Permanently</title></head>\n' +
      `<body><h1>Moved Permanently</h1><p>The document has moved <a href="http://${chosen}/dir/a.bin?x=1&amp;y=2">here</a>.</p></body></html>\n`;
    expect(response.statusLine).toBe('HTTP/1.1 301 Moved Permanently');
    expect(response.fields).toEqual([
      `Location: http://${chosen}/dir/a.bin?x=1&y=2`,
      'Cache-Control: no-store',
      `Link: <http://${others[0]}/dir/a.bin?x=1&y=2>; rel=duplicate; pri=1, <http://${others[1]}/dir/a.bin?x=1&y=2>; rel=duplicate; pri=2`,
      'Content-Type: text/html; charset=utf-8',
      `Content-Length: ${body.length}`,
      expect.stringMatching(
        /^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/,
      ),
      'Connection: close',
    ]);
    expect(response.body).toBe(body);
  });

  it('keeps the connection alive and answers pipelined requests in order', async () => {
    const requests =
      'GET /1 HTTP/1.1\r\nHost: lb\r\n\r\n' +
      'HEAD /2 HTTP/1.1\r\nHost: lb\r\n\r\n' +
      'POST /3 HTTP/1.1\r\nHost: lb\r\nContent-Length: 5\r\n\r\nhello' +
      'GET /heartbeat HTTP/1.1\r\nHost: lb\r\n\r\n' +
      'GET /4 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' +
      'GET /5 HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n';
    const text = await rawExchange(balancer.port, requests);
    expect(statusCodes(text)).toEqual(['301', '301', '405', '200', '301', '301']);
    expect(text).toMatch(/Location: http:\/\/[^/]+\/1\r\n/);
    expect(text).toMatch(/Location: http:\/\/[^/]+\/5\r\n/);
    expect(text).toContain('Allow: GET, HEAD\r\n');
    expect(text.match(/Connection: close/g)).toHaveLength(1);
  });

  it('answers a thousand requests pipelined in one write', async () => {
    const one = 'GET /x HTTP/1.1\r\nHost: lb\r\n\r\n';
    const text = await rawExchange(
      balancer.port,
      one.repeat(1000),
      (received) => countResponses(received) === 1000,
    );
    expect(countResponses(text)).toBe(1000);
  });

  it('echoes keep-alive to an HTTP/1.0 client that asks, and closes one that does not', async () => {
    const kept = await rawExchange(
      balancer.port,
      'GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n',
    );
    expect(countResponses(kept)).toBe(2);
    expect(kept.match(/Connection: keep-alive\r\n/g)).toHaveLength(1);
    expect(kept.match(/Connection: close\r\n/g)).toHaveLength(1);
  });

  it.each([
    ['a bad request line', 'GARBAGE\r\n\r\n', 400],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: lb\r\n\r\n', 400],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost lb\r\n\r\n', 400],
    ['a bare LF in a header', 'GET / HTTP/1.1\r\nHost: lb\nX: y\r\n\r\n', 400],
    [
      'two Content-Lengths',
      'GET / HTTP/1.1\r\nHost: lb\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
      400,
    ],
    [
      'Content-Length and chunked',
      'POST / HTTP/1.1\r\nHost: lb\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n',
      400,
    ],
    ['a request line over 8 KiB', `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: lb\r\n\r\n`, 414],
    ['headers over 16 KiB', `GET / HTTP/1.1\r\nHost: lb\r\nX: ${'a'.repeat(17_000)}\r\n\r\n`, 431],
    ['HTTP/2.0', 'GET / HTTP/2.0\r\nHost: lb\r\n\r\n', 505],
    ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n', 400],
    ['two Host fields', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400],
  ])('answers %s with %i and closes', async (_name, request, status) => {
    const text = await rawExchange(
      balancer.port,
      `GET /ok HTTP/1.1\r\nHost: lb\r\n\r\n${request}GET /never HTTP/1.1\r\n\r\n`,
    );
    const first = splitResponse(text);
    expect(first?.response.statusLine).toBe('HTTP/1.1 301 Moved Permanently');
    const second = splitResponse(first!.rest);
    expect(second?.response.statusLine).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(second?.response.fields).toContain('Connection: close');
    expect(second?.response.body).toMatch(
      new RegExp(`^${status} [^:]+: malformed request \\(HPE_[A-Z_]+\\)\\n$`),
    );
    expect(second?.rest).toBe('');
    // And the balancer goes on serving.
    const after = await rawExchange(
      balancer.port,
      'GET /still HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n',
    );
    expect(after).toMatch(/^HTTP\/1\.1 301 /);
  });

  it('declines an upgrade and keeps parsing HTTP', async () => {
    const text = await rawExchange(
      balancer.port,
      'GET /ws HTTP/1.1\r\nHost: lb\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\nGET /after HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n',
    );
    expect(countResponses(text)).toBe(2);
    expect(text).toMatch(/Location: http:\/\/[^/]+\/after\r\n/);
  });
});

describe('curl -L through the balancer', () => {
  const skip = !peer('curl');
  if (skip) console.log('skipping curl tests: curl is not installed');

  it.skipIf(skip)('downloads byte-identical files', async () => {
    const run = promisify(execFile);
    for (const [path, name] of [
      ['/test.jpg', 'test.jpg'],
      ['/file%20one.bin', 'file one.bin'],
    ] as const) {
      const { stdout } = await run('curl', ['-sS', '-L', '--fail', `${balancer.url}${path}`], {
        encoding: 'buffer',
        maxBuffer: 10 * 1024 * 1024,
      });
      expect(Buffer.compare(stdout, await readFile(join(root.dir, name)))).toBe(0);
    }
  });
});
