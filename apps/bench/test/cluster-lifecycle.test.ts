/**
 * The harness against the real apps: a virtual-server cluster and a balancer over it start, carry
 * requests (redirect followed, body read), count the same way three times, and stop without
 * leaving a process behind — including the replicas a `--spawn` balancer started itself.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPort } from '@lb/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClosedLoop } from '../src/load/closed-loop-load.js';
import { startBalancer } from '../src/processes/balancer-process.js';
import { isProcessAlive, livePids } from '../src/processes/process-registry.js';
import { startVirtualServers } from '../src/processes/virtual-server-cluster.js';
import { aggregateRequests } from '../src/stats/aggregate-requests.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'lb-bench-test-'));
  await writeFile(join(directory, 'payload.bin'), Buffer.alloc(4096, 7));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('cluster start/stop', () => {
  it('serves requests through the balancer and leaves no process behind', async () => {
    const cluster = await startVirtualServers(join(directory, 'payload.bin'), [
      { latencyMs: 0 },
      { latencyMs: 0 },
    ]);
    const balancer = await startBalancer({
      servers: cluster.addresses.map((address, index) => ({
        address: hostPort(address),
        region: index === 0 ? 'east' : 'west',
      })),
      strategy: 'round-robin',
      probePath: '/payload.bin',
      probeIntervalSeconds: 3600,
    });
    const pids = [cluster.process.pid, balancer.process.pid];
    try {
      expect(pids.every(isProcessAlive)).toBe(true);
      const run = await runClosedLoop({
        requests: 40,
        concurrency: 4,
        maxDurationMs: 60_000,
        send: (_index, client) => client.fetch(balancer.client, '/payload.bin', true),
      });
      const aggregate = aggregateRequests(run.records);
      expect(aggregate).toMatchObject({ requests: 40, succeeded: 40, failed: 0 });
      expect(run.records.every((record) => record.bytes === 4096)).toBe(true);
      // Round robin over two: 20 each, as the client saw it and as the balancer counted it.
      const servers = cluster.addresses.map(hostPort);
      expect(aggregate.perServer).toEqual({ [servers[0]!]: 20, [servers[1]!]: 20 });
      const report = await balancer.admin.report();
      expect(report.servers.map((server) => [server.id, server.region, server.redirects])).toEqual([
        [servers[0], 'east', 20],
        [servers[1], 'west', 20],
      ]);

      // Region- and machine-scoped URLs reach the machines they name.
      const scoped = await runClosedLoop({
        requests: 2,
        concurrency: 1,
        maxDurationMs: 30_000,
        send: (index, client) =>
          client.fetch(
            balancer.client,
            index === 0 ? '/r/west/payload.bin' : '/r/east/1/payload.bin',
            true,
          ),
      });
      expect(scoped.records.map((record) => [record.ok, record.server])).toEqual([
        [true, servers[1]],
        [true, servers[0]],
      ]);
    } finally {
      await balancer.stop();
      await cluster.process.stop();
    }
    expect(pids.filter(isProcessAlive)).toEqual([]);
    expect(livePids()).toEqual([]);
  });

  it('stops the replicas and the standby of a --spawn balancer with it', async () => {
    const balancer = await startBalancer({
      servers: [],
      spawn: { count: 2, root: directory },
      strategy: 'consistent-hash',
      probePath: '/payload.bin',
      probeIntervalSeconds: 3600,
    });
    let children: number[] = [];
    try {
      const report = await balancer.admin.report();
      children = report.servers.flatMap((server) => (server.pid === null ? [] : [server.pid]));
      if (report.replicas.standbyPid !== null) children.push(report.replicas.standbyPid);
      expect(children.length).toBeGreaterThanOrEqual(2);
      expect(children.every(isProcessAlive)).toBe(true);
    } finally {
      await balancer.stop();
    }
    expect([balancer.process.pid, ...children].filter(isProcessAlive)).toEqual([]);
  });
});

describe('a process killed from outside', () => {
  it('says so in its death note', async () => {
    const cluster = await startVirtualServers(join(directory, 'payload.bin'), [{ latencyMs: 0 }]);
    expect(cluster.process.deathNote()).toBeUndefined();
    process.kill(cluster.process.pid, 'SIGKILL');
    await cluster.process.exited;
    expect(cluster.process.deathNote()).toMatch(
      /^lb-server \(virtual servers\) was killed by SIGKILL/,
    );
  });
});
