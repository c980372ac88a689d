/**
 * Servers dying while the balancer serves: out of rotation after one probe round; without
 * --readmit never checked again; with --readmit back after `rise` good probes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  admin,
  header,
  type LbServer,
  pipelinedGets,
  type RunningBalancer,
  startBalancer,
  startLbServer,
  useRoot,
  waitFor,
} from './processes.js';

interface ServerEntry {
  id: string;
  state: string;
  redirects: number;
  lastProbe: { at: string; ok: boolean } | null;
}

const root = useRoot({}, 16 * 1024);
const started: LbServer[] = [];
const balancers: RunningBalancer[] = [];

async function server(args: string[] = [], port = 0): Promise<LbServer> {
  const lbServer = await startLbServer(root.dir, args, port);
  started.push(lbServer);
  return lbServer;
}

async function balancer(args: string[]): Promise<RunningBalancer> {
  const running = await startBalancer(
    ['--port', '0', '--admin-port', '0', '--seed', '1', ...args],
    {},
    { human: true },
  );
  balancers.push(running);
  return running;
}

async function rep(
  running: RunningBalancer,
): Promise<{ probe: { rounds: number }; servers: ServerEntry[] }> {
  return (await admin(running.adminUrl!, '/rep')).json;
}

function entry(report: { servers: ServerEntry[] }, id: string): ServerEntry | undefined {
  return report.servers.find((candidate) => candidate.id === id);
}

/** Waits until `rounds` more performance tests completed. */
async function roundsPass(running: RunningBalancer, rounds: number) {
  const start = (await rep(running)).probe.rounds;
  return waitFor(
    () => rep(running),
    (report) => report.probe.rounds >= start + rounds,
  );
}

afterAll(async () => {
  await Promise.all(balancers.map((running) => running.stop()));
  await Promise.all(started.map((lbServer) => lbServer.kill()));
});

describe('without --readmit', () => {
  it('takes a killed server out within one probe round and never checks it again', async () => {
    const [a, b, c] = await Promise.all([server(), server(), server()]);
    const running = await balancer([
      '--probe-interval',
      '0.2',
      '--strategy',
      'round-robin',
      a!.id,
      b!.id,
      c!.id,
    ]);
    expect(entry(await rep(running), b!.id)?.state).toBe('up');

    await b!.kill();
    // The round in flight when it died may still have seen it alive; the next one must not.
    const after = await roundsPass(running, 2);
    expect(entry(after, b!.id)?.state).toBe('down');
    const lastSeen = entry(after, b!.id)?.lastProbe;
    expect(lastSeen?.ok).toBe(false);

    const responses = await pipelinedGets(
      running.port,
      Array.from({ length: 300 }, (_, i) => `/f${i}`),
    );
    const hosts = new Set(responses.map((response) => new URL(header(response, 'Location')!).host));
    expect([...hosts].sort()).toEqual([a!.id, c!.id].sort());
    for (const response of responses) expect(header(response, 'Link')).not.toContain(b!.id);

    // Back on the same port, it stays out: the seed behaviour drops failed servers for good.
    await server([], b!.port);
    const later = await roundsPass(running, 3);
    expect(entry(later, b!.id)?.state).toBe('down');
    expect(entry(later, b!.id)?.lastProbe).toEqual(lastSeen);

    // The way back without --readmit: add it again.
    const readded = await admin(running.adminUrl!, '/add', {
      method: 'POST',
      body: `{"servers":["${b!.id}"]}`,
    });
    expect(readded.status).toBe(200);
    expect(readded.json.added).toMatchObject([{ id: b!.id, state: 'up' }]);
    const again = await pipelinedGets(
      running.port,
      Array.from({ length: 30 }, (_, i) => `/h${i}`),
    );
    expect(
      new Set(again.map((response) => new URL(header(response, 'Location')!).host)).has(b!.id),
    ).toBe(true);
  });

  it('answers 503 with Retry-After once every server is gone', async () => {
    const only = await server();
    const running = await balancer(['--probe-interval', '0.2', only.id]);
    await only.kill();
    await roundsPass(running, 2);
    const [response] = await pipelinedGets(running.port, ['/x']);
    expect(response?.statusLine).toBe('HTTP/1.1 503 Service Unavailable');
    expect(header(response!, 'Retry-After')).toBe('1');
    const [heartbeat] = await pipelinedGets(running.port, ['/heartbeat']);
    expect(heartbeat?.statusLine).toBe('HTTP/1.1 503 Service Unavailable');
  });
});

describe('with --readmit', () => {
  it('readmits a server after --rise good probes', async () => {
    const [a, b] = await Promise.all([server(), server()]);
    const running = await balancer([
      '--probe-interval',
      '0.2',
      '--readmit',
      '--rise',
      '2',
      a!.id,
      b!.id,
    ]);
    await b!.kill();
    const down = await roundsPass(running, 2);
    expect(entry(down, b!.id)?.state).toBe('down');

    await server([], b!.port);
    const back = await waitFor(
      () => rep(running),
      (report) => entry(report, b!.id)?.state === 'up',
    );
    expect(entry(back, b!.id)?.lastProbe?.ok).toBe(true);
    const responses = await pipelinedGets(
      running.port,
      Array.from({ length: 200 }, (_, i) => `/g${i}`),
    );
    const hosts = new Set(responses.map((response) => new URL(header(response, 'Location')!).host));
    expect(hosts.has(b!.id)).toBe(true);
  });

  it('starts even when every server fails the first test, and serves once one comes up', async () => {
    const { freePort } = await import('./processes.js');
    const port = await freePort();
    const running = await balancer([
      '--probe-interval',
      '0.2',
      '--readmit',
      '--rise',
      '1',
      `127.0.0.1:${port}`,
    ]);
    expect(running.stdout).toContain(
      `left out: 127.0.0.1:${port} (LB_WIRE_CONNECT_FAILED: Connecting to 127.0.0.1:${port} failed: ECONNREFUSED)`,
    );
    const [refused] = await pipelinedGets(running.port, ['/x']);
    expect(refused?.statusLine).toBe('HTTP/1.1 503 Service Unavailable');
    await server([], port);
    await waitFor(
      () => rep(running),
      (report) => entry(report, `127.0.0.1:${port}`)?.state === 'up',
    );
    const [redirected] = await pipelinedGets(running.port, ['/x']);
    expect(header(redirected!, 'Location')).toBe(`http://127.0.0.1:${port}/x`);
  });
});
