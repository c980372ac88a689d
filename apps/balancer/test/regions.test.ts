/**
 * Region and machine routes end to end: servers from a config file with regions, then
 * `/r/<region>/...` and `/r/<region>/<machine>/...` over real sockets; and consistent-hash affinity.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  header,
  pipelinedGets,
  type RunningBalancer,
  startBalancer,
  useLbServers,
  useRoot,
  waitFor,
} from './processes.js';

const root = useRoot({}, 4 * 1024);
const servers = useLbServers(root, ['m0', 'm1', 'm2']);
let balancer: RunningBalancer;
let hashed: RunningBalancer;

/** The balancer's answer when it cannot redirect: `STATUS: DETAIL` as the body. */
const refusal = (status: string, detail: string) => ({
  status: `HTTP/1.1 ${status}`,
  body: `${status}: ${detail}\n`,
});

const location = async (port: number, target: string) => {
  const [response] = await pipelinedGets(port, [target]);
  return {
    status: response!.statusLine,
    location: header(response!, 'Location'),
    body: response!.body,
  };
};

beforeAll(async () => {
  const config = join(root.dir, 'balancer.conf');
  await writeFile(
    config,
    `# two in eu, one in us\n${servers[0]!.id} region=eu\n${servers[1]!.id} region=us\n${servers[2]!.id} region=eu weight=2\n`,
  );
  [balancer, hashed] = await Promise.all([
    startBalancer([
      '--port',
      '0',
      '--admin-port',
      '0',
      '--probe-interval',
      '0.2',
      '--config',
      config,
    ]),
    startBalancer([
      '--port',
      '0',
      '--strategy',
      'consistent-hash',
      '--probe-interval',
      '3600',
      '--config',
      config,
    ]),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([balancer?.stop(), hashed?.stop()]);
});

describe('region routes', () => {
  it('numbers machines within each region in config order', async () => {
    const { json } = await admin(balancer.adminUrl!, '/rep');
    expect(
      json.servers.map((server: { id: string; region: string; machine: number }) => [
        server.id,
        server.region,
        server.machine,
      ]),
    ).toEqual([
      [servers[0]!.id, 'eu', 1],
      [servers[1]!.id, 'us', 1],
      [servers[2]!.id, 'eu', 2],
    ]);
  });

  it('sends /r/<region>/<path> to a server of that region', async () => {
    const hosts = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const { location: url } = await location(balancer.port, `/r/eu/files/${i}.bin`);
      const parsed = new URL(url!);
      expect(parsed.pathname).toBe(`/files/${i}.bin`);
      hosts.add(parsed.host);
    }
    expect([...hosts].sort()).toEqual([servers[0]!.id, servers[2]!.id].sort());
    expect((await location(balancer.port, '/r/us/test.jpg?v=1')).location).toBe(
      `http://${servers[1]!.id}/test.jpg?v=1`,
    );
  });

  it('sends /r/<region>/<machine>/<path> to that machine, by number or address', async () => {
    expect((await location(balancer.port, '/r/eu/2/test.jpg')).location).toBe(
      `http://${servers[2]!.id}/test.jpg`,
    );
    expect((await location(balancer.port, '/r/eu/1/a/b')).location).toBe(
      `http://${servers[0]!.id}/a/b`,
    );
    expect((await location(balancer.port, `/r/eu/${servers[2]!.id}/x`)).location).toBe(
      `http://${servers[2]!.id}/x`,
    );
  });

  it('answers 404 for an unknown region or machine', async () => {
    expect(await location(balancer.port, '/r/asia/x')).toMatchObject(
      refusal('404 Not Found', 'unknown region "asia"'),
    );
    expect(await location(balancer.port, '/r/us/2/x')).toMatchObject(
      refusal('404 Not Found', 'unknown machine 2 in region "us"'),
    );
  });

  it('answers 503 when the region has no live server', async () => {
    await servers[1]!.kill();
    await waitFor(
      () => admin(balancer.adminUrl!, '/rep'),
      ({ json }) => json.servers[1].state === 'down',
    );
    expect(await location(balancer.port, '/r/us/x')).toMatchObject(
      refusal('503 Service Unavailable', 'no live server in region "us"'),
    );
    expect(await location(balancer.port, '/r/us/1/x')).toMatchObject(
      refusal('503 Service Unavailable', 'machine 1 in region "us" is down'),
    );
    expect((await location(balancer.port, '/r/eu/x')).status).toBe(
      'HTTP/1.1 301 Moved Permanently',
    );
  });
});

describe('--strategy consistent-hash', () => {
  it('sends the same file to the same server every time', async () => {
    const targets = Array.from({ length: 60 }, (_, i) => `/files/${i}.bin`);
    const first = await pipelinedGets(hashed.port, targets);
    const again = await pipelinedGets(hashed.port, [...targets].reverse());
    const owner = (response: (typeof first)[number]) => new URL(header(response, 'Location')!).host;
    expect(again.map(owner).reverse()).toEqual(first.map(owner));
    expect(new Set(first.map(owner)).size).toBeGreaterThan(1);
  });
});
