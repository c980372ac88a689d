/**
 * The admin API over real sockets: with and without a token, /rep, /metrics, /add and /rm taking
 * effect without a restart, bad bodies, oversized bodies and malformed HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  BALANCER_TEST_ARGS,
  freePort,
  header,
  pipelinedGets,
  type RunningBalancer,
  rawExchange,
  runBalancer,
  splitResponse,
  startBalancer,
  statusCodes,
  useLbServers,
  useRoot,
} from './processes.js';

const TOKEN = 'test-token-0123456789abcdef';
const root = useRoot({}, 8 * 1024);
const servers = useLbServers(root, ['s0', 's1', 's2']);
let secured: RunningBalancer;
let open: RunningBalancer;

beforeAll(async () => {
  [secured, open] = await Promise.all([
    startBalancer([...BALANCER_TEST_ARGS, '--admin-token', TOKEN, servers[0]!.id]),
    startBalancer([...BALANCER_TEST_ARGS, servers[0]!.id]),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([secured?.stop(), open?.stop()]);
});

describe('tokens', () => {
  it('refuses every data endpoint without the right token', async () => {
    for (const [path, method, body] of [
      ['/rep', 'GET', undefined],
      ['/metrics', 'GET', undefined],
      ['/add', 'POST', '{"count":1}'],
      ['/rm', 'POST', '{"count":1}'],
    ] as const) {
      const missing = await admin(secured.adminUrl!, path, { method, ...(body ? { body } : {}) });
      expect([missing.status, missing.json]).toEqual([401, { error: 'missing bearer token' }]);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="lb-balancer admin"');
      const wrong = await admin(secured.adminUrl!, path, {
        method,
        token: `${TOKEN}x`,
        ...(body ? { body } : {}),
      });
      expect([wrong.status, wrong.json]).toEqual([401, { error: 'invalid bearer token' }]);
    }
  });

  it('serves with the right token, and the page without one', async () => {
    expect((await admin(secured.adminUrl!, '/rep', { token: TOKEN })).status).toBe(200);
    expect((await admin(secured.adminUrl!, '/metrics', { token: TOKEN })).status).toBe(200);
    const page = await admin(secured.adminUrl!, '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('needs no token when none is configured', async () => {
    expect((await admin(open.adminUrl!, '/rep')).status).toBe(200);
  });
});

describe('/rep and /metrics', () => {
  it('reports every server with state, probe figures, share and redirects', async () => {
    await pipelinedGets(open.port, ['/a', '/b', '/c']);
    const { json } = await admin(open.adminUrl!, '/rep');
    expect(json).toMatchObject({
      strategy: 'rank-weighted',
      listening: open.url,
      probe: { path: '/test.jpg', intervalSeconds: 3600, readmit: false, rounds: 1 },
      replicas: { managed: false, root: null, count: 0, standbyPid: null },
      totals: { servers: 1, up: 1 },
    });
    expect(json.servers[0]).toMatchObject({
      id: servers[0]!.id,
      url: `http://${servers[0]!.id}`,
      state: 'up',
      rank: 1,
      region: null,
      machine: null,
      weight: 1,
      share: 1,
      pid: null,
      lastProbe: { ok: true, status: 200, bytes: 8 * 1024 },
    });
    expect(json.servers[0].redirects).toBeGreaterThanOrEqual(3);
    expect(Date.parse(json.servers[0].lastProbe.at)).not.toBeNaN();
  });

  it('exposes Prometheus metrics', async () => {
    await pipelinedGets(open.port, ['/m1', '/m2']);
    await rawExchange(open.port, 'POST /x HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n');
    const { status, text, headers } = await admin(open.adminUrl!, '/metrics');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toMatch(
      new RegExp(
        `^lb_balancer_responses_total\\{server="${servers[0]!.id}",status="301"\\} \\d+$`,
        'm',
      ),
    );
    expect(text).toMatch(/^lb_balancer_responses_total\{server="",status="405"\} 1$/m);
    expect(text).toMatch(/^lb_balancer_servers_up 1$/m);
    expect(text).toMatch(
      new RegExp(
        `^lb_balancer_probe_duration_seconds_count\\{server="${servers[0]!.id}",result="ok"\\} 1$`,
        'm',
      ),
    );
    expect(text).toMatch(/^# TYPE lb_balancer_probe_duration_seconds histogram$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });
});

describe('/add and /rm', () => {
  it('adds servers without a restart: probed, then redirected to', async () => {
    const response = await admin(open.adminUrl!, '/add', {
      method: 'POST',
      body: JSON.stringify({ servers: [servers[1]!.id, `${servers[2]!.id} weight=2 region=eu`] }),
    });
    expect(response.status).toBe(200);
    expect(response.json.added).toMatchObject([
      { id: servers[1]!.id, state: 'up', lastProbe: { ok: true } },
      { id: servers[2]!.id, state: 'up', weight: 2, region: 'eu', machine: 1 },
    ]);
    const hosts = new Set(
      (
        await pipelinedGets(
          open.port,
          Array.from({ length: 200 }, (_, i) => `/n${i}`),
        )
      ).map((redirect) => new URL(header(redirect, 'Location')!).host),
    );
    expect(hosts).toEqual(new Set(servers.map((server) => server.id)));
  });

  it('reports a dead server added as down', async () => {
    const port = await freePort();
    const response = await admin(open.adminUrl!, '/add', {
      method: 'POST',
      body: `{"servers":["127.0.0.1:${port}"]}`,
    });
    expect(response.json.added).toMatchObject([
      { id: `127.0.0.1:${port}`, state: 'down', lastProbe: { ok: false } },
    ]);
    await admin(open.adminUrl!, '/rm', {
      method: 'POST',
      body: `{"servers":["127.0.0.1:${port}"]}`,
    });
  });

  it('removes servers: no client is sent there again', async () => {
    const response = await admin(open.adminUrl!, '/rm', {
      method: 'POST',
      body: `{"servers":["${servers[1]!.id}"]}`,
    });
    expect(response.status).toBe(200);
    expect(response.json.removed).toMatchObject([{ id: servers[1]!.id }]);
    const { json } = await admin(open.adminUrl!, '/rep');
    expect(json.servers.map((server: { id: string }) => server.id)).not.toContain(servers[1]!.id);
    const redirects = await pipelinedGets(
      open.port,
      Array.from({ length: 100 }, (_, i) => `/r${i}`),
    );
    for (const redirect of redirects) {
      expect(header(redirect, 'Location')).not.toContain(servers[1]!.id);
      expect(header(redirect, 'Link') ?? '').not.toContain(servers[1]!.id);
    }
  });

  it.each([
    [
      '/add',
      '',
      400,
      'request body is empty; expected {"servers":["host:port", ...]} or {"count":N}',
    ],
    ['/add', '{"servers":["127.0.0.1:99999"]}', 400, 'servers[0]: invalid port "99999"'],
    [
      '/add',
      '{"count":2}',
      400,
      '"count" needs managed replicas (start the balancer with --spawn)',
    ],
    [
      '/add',
      '[1]',
      400,
      'body must be a JSON object: {"servers":["host:port", ...]} or {"count":N}',
    ],
    ['/rm', '{"servers":["127.0.0.1:1"]}', 404, 'server 127.0.0.1:1 is not in the pool'],
  ])('POST %s %j → %i', async (path, body, status, error) => {
    const response = await admin(open.adminUrl!, path, { method: 'POST', body });
    expect([response.status, response.json]).toEqual([status, { error }]);
  });

  it('refuses to add a server that is already there (409)', async () => {
    const response = await admin(open.adminUrl!, '/add', {
      method: 'POST',
      body: `{"servers":["${servers[0]!.id}"]}`,
    });
    expect([response.status, response.json]).toEqual([
      409,
      { error: `server ${servers[0]!.id} is already in the pool` },
    ]);
  });

  it('answers JSON parse errors with the parser message', async () => {
    const response = await admin(open.adminUrl!, '/add', { method: 'POST', body: '{"servers":' });
    expect(response.status).toBe(400);
    expect(response.json.error).toMatch(/^body is not valid JSON: /);
  });
});

describe('admin transport', () => {
  it('refuses a body over 64 KiB with 413 and closes', async () => {
    const port = Number(new URL(open.adminUrl!).port);
    const big = 'x'.repeat(70 * 1024);
    const text = await rawExchange(
      port,
      `POST /add HTTP/1.1\r\nHost: a\r\nContent-Length: ${big.length}\r\n\r\n${big}`,
    );
    const split = splitResponse(text);
    expect(split?.response.statusLine).toBe('HTTP/1.1 413 Content Too Large');
    expect(split?.response.fields).toContain('Connection: close');
    expect(JSON.parse(split!.response.body)).toEqual({ error: 'body larger than 65536 bytes' });
  });

  it('answers malformed HTTP with 400 and closes', async () => {
    const port = Number(new URL(open.adminUrl!).port);
    const text = await rawExchange(port, 'BROKEN\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain('"error": "malformed request (HPE_');
  });

  it('answers 404 and 405 with JSON', async () => {
    expect(await admin(open.adminUrl!, '/nope')).toMatchObject({ status: 404 });
    const wrong = await admin(open.adminUrl!, '/rep', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers pipelined admin requests in order', async () => {
    const port = Number(new URL(open.adminUrl!).port);
    const text = await rawExchange(
      port,
      'GET /nope HTTP/1.1\r\nHost: a\r\n\r\nGET /rep HTTP/1.1\r\nHost: a\r\n\r\nHEAD /rep HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect(statusCodes(text)).toEqual(['404', '200', '200']);
  });
});

describe('admin exposure', () => {
  it('refuses to start with a non-loopback admin host and no token', async () => {
    const result = await runBalancer([
      '--admin-port',
      '0',
      '--admin-host',
      '0.0.0.0',
      '127.0.0.1:1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'lb-balancer: refusing to serve the admin API on 0.0.0.0 without a token: give --admin-token (or LB_BALANCER_ADMIN_TOKEN) or a loopback --admin-host',
    );
  });
});
