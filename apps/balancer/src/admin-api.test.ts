import { describe, expect, it } from 'vitest';
import { AdminApi, type AdminControl, type AdminRequest } from './admin-api.js';
import { DuplicateServerError } from './errors.js';
import type { BalancerReport, ServerReport } from './report.js';
import type { ServerSpec } from './server-spec.js';

function serverReport(id: string, pid: number | null = null): ServerReport {
  return {
    id,
    url: `http://${id}`,
    state: 'up',
    rank: 1,
    region: null,
    machine: null,
    weight: 1,
    share: 1,
    redirects: 0,
    pid,
    lastProbe: null,
  };
}

/** Records what the API asked for; the balancer side is tested end to end elsewhere. */
function fakeControl(options: { managed?: boolean; servers?: string[] } = {}) {
  const servers = new Map(
    (options.servers ?? ['127.0.0.1:8081']).map((id) => [id, serverReport(id)]),
  );
  const calls: string[] = [];
  let replicas = 2;
  const control: AdminControl = {
    replicasManaged: options.managed ?? false,
    report: (): BalancerReport => ({
      strategy: 'random',
      listening: 'http://127.0.0.1:1',
      probe: { path: '/test.jpg', intervalSeconds: 30, readmit: false, rounds: 1 },
      replicas: { managed: false, root: null, count: 0, standbyPid: null },
      totals: { servers: servers.size, up: servers.size, redirects: 0, responses: {} },
      servers: [...servers.values()],
    }),
    metrics: async () => ({
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      text: 'm 1\n',
    }),
    addServers: async (specs: readonly ServerSpec[]) => {
      calls.push(
        `add ${specs.map((spec) => `${spec.id}/${spec.weight}/${spec.region}`).join(' ')}`,
      );
      for (const spec of specs) {
        if (servers.has(spec.id)) throw new DuplicateServerError(spec.id);
        servers.set(spec.id, serverReport(spec.id));
      }
      return specs.map((spec) => serverReport(spec.id));
    },
    removeServers: async (ids) => {
      calls.push(`rm ${ids.join(' ')}`);
      return ids.map((id) => serverReport(id));
    },
    addReplicas: async (count) => {
      calls.push(`add-replicas ${count}`);
      replicas += count;
      return [];
    },
    removeReplicas: async (count) => {
      calls.push(`rm-replicas ${count}`);
      replicas -= count;
      return [];
    },
    replicaCount: () => replicas,
  };
  return { control, calls };
}

function request(
  method: string,
  target: string,
  body = '',
  authorization: string | null = null,
): AdminRequest {
  return { method, target, authorization, body: Buffer.from(body) };
}

async function errorOf(api: AdminApi, req: AdminRequest): Promise<[number, string]> {
  const response = await api.handle(req);
  return [response.status, JSON.parse(response.body).error];
}

describe('AdminApi routing', () => {
  const { control } = fakeControl();
  const api = new AdminApi(control);

  it('serves the status page, the report and metrics', async () => {
    const page = await api.handle(request('GET', '/'));
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>lb-balancer status</title>');
    expect(page.headers).toContainEqual(['Content-Type', 'text/html; charset=utf-8']);
    const rep = await api.handle(request('GET', '/rep?pretty=1'));
    expect(rep.status).toBe(200);
    expect(JSON.parse(rep.body).servers[0].id).toBe('127.0.0.1:8081');
    const metrics = await api.handle(request('GET', '/metrics'));
    expect(metrics).toMatchObject({ status: 200, body: 'm 1\n' });
    expect(metrics.headers).toContainEqual([
      'Content-Type',
      'text/plain; version=0.0.4; charset=utf-8',
    ]);
  });

  it.each([
    ['GET', '/nope', 404, 'no such endpoint /nope; see GET /, /rep, /metrics, POST /add, /rm'],
    [
      'GET',
      '/__proto__',
      404,
      'no such endpoint /__proto__; see GET /, /rep, /metrics, POST /add, /rm',
    ],
    ['POST', '/rep', 405, 'POST is not allowed on /rep'],
    ['GET', '/add', 405, 'GET is not allowed on /add'],
    ['DELETE', '/rm', 405, 'DELETE is not allowed on /rm'],
  ])('%s %s → %i', async (method, target, status, message) => {
    expect(await errorOf(api, request(method, target))).toEqual([status, message]);
  });

  it('names the allowed methods on 405', async () => {
    const response = await api.handle(request('PUT', '/add'));
    expect(response.headers).toContainEqual(['Allow', 'POST']);
  });
});

describe('AdminApi tokens', () => {
  const token = 'correct-horse-battery-staple';
  const { control } = fakeControl();
  const api = new AdminApi(control, { token });

  it.each([
    [null, 'missing bearer token'],
    ['Basic dXNlcjpwYXNz', 'Authorization must be "Bearer <token>"'],
    ['Bearer', 'Authorization must be "Bearer <token>"'],
    ['Bearer a b', 'Authorization must be "Bearer <token>"'],
    ['Bearer wrong-token', 'invalid bearer token'],
    [`Bearer ${token}x`, 'invalid bearer token'],
    [`Bearer ${token.slice(1)}`, 'invalid bearer token'],
  ])('refuses %j with 401 %j', async (authorization, message) => {
    for (const [method, target] of [
      ['GET', '/rep'],
      ['GET', '/metrics'],
      ['POST', '/add'],
      ['POST', '/rm'],
    ] as const) {
      const response = await api.handle(request(method, target, '{"count":1}', authorization));
      expect([response.status, JSON.parse(response.body).error]).toEqual([401, message]);
      expect(response.headers).toContainEqual([
        'WWW-Authenticate',
        'Bearer realm="lb-balancer admin"',
      ]);
    }
  });

  it('accepts the right token (scheme in any case) and serves / without one', async () => {
    expect((await api.handle(request('GET', '/rep', '', `Bearer ${token}`))).status).toBe(200);
    expect((await api.handle(request('GET', '/rep', '', `bearer  ${token}`))).status).toBe(200);
    expect((await api.handle(request('GET', '/'))).status).toBe(200);
  });
});

describe('AdminApi /add and /rm bodies', () => {
  it.each([
    ['', 'request body is empty; expected {"servers":["host:port", ...]} or {"count":N}'],
    ['   ', 'request body is empty; expected {"servers":["host:port", ...]} or {"count":N}'],
    ['{', expect.stringMatching(/^body is not valid JSON: /)],
    ['servers=1', expect.stringMatching(/^body is not valid JSON: /)],
    ['[]', 'body must be a JSON object: {"servers":["host:port", ...]} or {"count":N}'],
    ['null', 'body must be a JSON object: {"servers":["host:port", ...]} or {"count":N}'],
    ['"x"', 'body must be a JSON object: {"servers":["host:port", ...]} or {"count":N}'],
    ['{}', 'give exactly one of "servers" or "count"'],
    ['{"servers":["a:1"],"count":1}', 'give exactly one of "servers" or "count"'],
    [
      '{"server":["a:1"]}',
      'unknown field "server"; expected {"servers":["host:port", ...]} or {"count":N}',
    ],
    [
      '{"__proto__":{"x":1}}',
      'unknown field "__proto__"; expected {"servers":["host:port", ...]} or {"count":N}',
    ],
    ['{"servers":[]}', '"servers" must be a non-empty array of "host:port" strings'],
    ['{"servers":"a:1"}', '"servers" must be a non-empty array of "host:port" strings'],
    ['{"servers":[1]}', 'servers[0] must be a string'],
    ['{"servers":["a:1",{"host":"b"}]}', 'servers[1] must be a string'],
    ['{"servers":["127.0.0.1:99999"]}', 'servers[0]: invalid port "99999"'],
    ['{"servers":["a:1","nope"]}', 'servers[1]: missing port in "nope"'],
    [
      '{"servers":["a:1 weight=0"]}',
      'servers[0]: invalid weight "0" (a number above 0, at most 1000000)',
    ],
    ['{"servers":["a:1","A:1"]}', 'servers[1]: duplicate server "a:1" (also servers[0])'],
    ['{"count":0}', '"count" must be an integer from 1 to 64'],
    ['{"count":1.5}', '"count" must be an integer from 1 to 64'],
    ['{"count":"2"}', '"count" must be an integer from 1 to 64'],
    ['{"count":65}', '"count" must be an integer from 1 to 64'],
    ['{"count":2}', '"count" needs managed replicas (start the balancer with --spawn)'],
  ])('POST /add %j → 400 %j', async (body, message) => {
    const { control, calls } = fakeControl();
    const api = new AdminApi(control);
    expect(await errorOf(api, request('POST', '/add', body))).toEqual([400, message]);
    expect(calls).toEqual([]);
  });

  it('adds servers with their options', async () => {
    const { control, calls } = fakeControl();
    const api = new AdminApi(control);
    const response = await api.handle(
      request('POST', '/add', '{"servers":["127.0.0.1:8082 weight=2 region=eu","127.0.0.1:8083"]}'),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).added.map((server: ServerReport) => server.id)).toEqual([
      '127.0.0.1:8082',
      '127.0.0.1:8083',
    ]);
    expect(calls).toEqual(['add 127.0.0.1:8082/2/eu 127.0.0.1:8083/1/undefined']);
  });

  it('refuses to add a server twice (409) and to remove an unknown one (404)', async () => {
    const { control, calls } = fakeControl();
    const api = new AdminApi(control);
    expect(await errorOf(api, request('POST', '/add', '{"servers":["127.0.0.1:8081"]}'))).toEqual([
      409,
      'server 127.0.0.1:8081 is already in the pool',
    ]);
    expect(await errorOf(api, request('POST', '/rm', '{"servers":["127.0.0.1:9999"]}'))).toEqual([
      404,
      'server 127.0.0.1:9999 is not in the pool',
    ]);
    expect(
      await errorOf(api, request('POST', '/rm', '{"servers":["127.0.0.1:8081 weight=2"]}')),
    ).toEqual([400, 'servers[0]: /rm takes only host:port']);
    expect(calls).toEqual([]);
  });

  it('adds a server again once it is down', async () => {
    const { control, calls } = fakeControl();
    const api = new AdminApi(control);
    const report = control.report;
    control.report = () => {
      const current = report();
      return {
        ...current,
        servers: current.servers.map((server) => ({ ...server, state: 'down' as const })),
      };
    };
    const response = await api.handle(request('POST', '/add', '{"servers":["127.0.0.1:8081"]}'));
    expect(calls).toEqual(['add 127.0.0.1:8081/1/undefined']);
    // The fake refuses the duplicate; the balancer replaces the down entry (tested end to end).
    expect(response.status).toBe(409);
  });

  it('removes servers', async () => {
    const { control, calls } = fakeControl();
    const api = new AdminApi(control);
    const response = await api.handle(request('POST', '/rm', '{"servers":["127.0.0.1:8081"]}'));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).removed[0].id).toBe('127.0.0.1:8081');
    expect(calls).toEqual(['rm 127.0.0.1:8081']);
  });

  it('grows and shrinks managed replicas by count, never below zero', async () => {
    const { control, calls } = fakeControl({ managed: true });
    const api = new AdminApi(control);
    expect((await api.handle(request('POST', '/add', '{"count":2}'))).status).toBe(200);
    expect((await api.handle(request('POST', '/rm', '{"count":3}'))).status).toBe(200);
    expect(await errorOf(api, request('POST', '/rm', '{"count":2}'))).toEqual([
      400,
      'cannot remove 2 replicas: 1 running',
    ]);
    expect(calls).toEqual(['add-replicas 2', 'rm-replicas 3']);
  });
});
