/**
 * Managed replicas: `--spawn N --root DIR` starts lb-servers, replaces one that dies, grows and
 * shrinks on /add and /rm with a count, and takes them all down on SIGTERM. Also the embedded
 * default: no server configured → 3 replicas over the bundled sample folder.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  admin,
  header,
  isAlive,
  makeRoot,
  pipelinedGets,
  type RunningBalancer,
  startBalancer,
  waitFor,
} from './processes.js';

interface ServerEntry {
  id: string;
  state: string;
  pid: number | null;
}

async function replicas(running: RunningBalancer): Promise<ServerEntry[]> {
  const { json } = await admin(running.adminUrl!, '/rep');
  return json.servers.filter((server: ServerEntry) => server.pid !== null);
}

const running: RunningBalancer[] = [];
afterAll(async () => {
  await Promise.all(running.map((balancer) => balancer.stop()));
});

describe('--spawn', () => {
  it('replaces a dead replica, grows and shrinks by count, and stops them all on SIGTERM', async () => {
    const root = await makeRoot({}, 4 * 1024);
    const balancer = await startBalancer(
      [
        '--port',
        '0',
        '--admin-port',
        '0',
        '--spawn',
        '2',
        '--root',
        root.dir,
        '--probe-interval',
        '3600',
      ],
      {},
      { human: true },
    );
    running.push(balancer);
    const first = await replicas(balancer);
    expect(first).toHaveLength(2);
    const standbyPid = (await admin(balancer.adminUrl!, '/rep')).json.replicas.standbyPid as number;
    expect(isAlive(standbyPid)).toBe(true);
    expect(first.every((server) => server.state === 'up' && isAlive(server.pid!))).toBe(true);

    // Kill one: a successor takes its place (and is probed into rotation).
    const victim = first[0]!;
    process.kill(victim.pid!, 'SIGKILL');
    const replaced = await waitFor(
      () => replicas(balancer),
      (list) =>
        list.length === 2 &&
        !list.some((server) => server.id === victim.id) &&
        list.every((server) => server.state === 'up'),
    );
    const successor = replaced.find((server) => server.id !== first[1]!.id)!;
    expect(successor.pid).not.toBe(victim.pid);
    // The warm standby took its place, and a new standby is started behind it.
    expect(successor.pid).toBe(standbyPid);
    expect(balancer.stderr.join('\n')).toContain('replica died; replacing it');
    const { json: afterKill } = await admin(balancer.adminUrl!, '/rep');
    await waitFor(
      async () => (await admin(balancer.adminUrl!, '/rep')).json.replicas.standbyPid,
      (pid) => typeof pid === 'number' && pid !== standbyPid,
    );
    expect(afterKill.replicas.count).toBe(2);
    const redirects = await pipelinedGets(
      balancer.port,
      Array.from({ length: 50 }, (_, i) => `/x${i}`),
    );
    const hosts = new Set(redirects.map((redirect) => new URL(header(redirect, 'Location')!).host));
    expect(hosts.has(victim.id)).toBe(false);
    expect(hosts.has(successor.id)).toBe(true);

    // Grow by two, shrink by three.
    const grown = await admin(balancer.adminUrl!, '/add', { method: 'POST', body: '{"count":2}' });
    expect(grown.status).toBe(200);
    expect(grown.json.added).toHaveLength(2);
    expect(grown.json.added.every((server: ServerEntry) => server.state === 'up')).toBe(true);
    expect(await replicas(balancer)).toHaveLength(4);
    const shrunk = await admin(balancer.adminUrl!, '/rm', { method: 'POST', body: '{"count":3}' });
    expect(shrunk.status).toBe(200);
    const stoppedPids = shrunk.json.removed.map((server: ServerEntry) => server.pid as number);
    expect(stoppedPids).toHaveLength(3);
    expect(stoppedPids.some((pid: number) => isAlive(pid))).toBe(false);
    const left = await replicas(balancer);
    expect(left).toHaveLength(1);
    const tooMany = await admin(balancer.adminUrl!, '/rm', { method: 'POST', body: '{"count":2}' });
    expect([tooMany.status, tooMany.json]).toEqual([
      400,
      { error: 'cannot remove 2 replicas: 1 running' },
    ]);

    // Removing a replica by address stops it too, and it is not replaced.
    const last = left[0]!;
    const removed = await admin(balancer.adminUrl!, '/rm', {
      method: 'POST',
      body: `{"servers":["${last.id}"]}`,
    });
    expect(removed.status).toBe(200);
    expect(isAlive(last.pid!)).toBe(false);
    expect(await replicas(balancer)).toHaveLength(0);

    await admin(balancer.adminUrl!, '/add', { method: 'POST', body: '{"count":1}' });
    const [final] = await replicas(balancer);
    const { json: beforeStop } = await admin(balancer.adminUrl!, '/rep');
    expect(await balancer.stop('SIGTERM')).toBe(0);
    expect(isAlive(final!.pid!)).toBe(false);
    expect(isAlive(beforeStop.replicas.standbyPid)).toBe(false);
    await root.remove();
  });
});

describe('embedded default', () => {
  it('starts 3 replicas over the sample folder and says how to download through it', async () => {
    const balancer = await startBalancer(['--port', '0', '--admin-port', '0'], {}, { human: true });
    running.push(balancer);
    expect(balancer.stdout[0]).toMatch(
      /^no server configured: starting 3 lb-server replicas over .*\/apps\/balancer\/sample\/$/,
    );
    const hint = `download through it: curl -L ${balancer.url}/test.jpg -o test.jpg`;
    await waitFor(
      async () => balancer.stdout,
      (lines) => lines.includes(hint),
    );
    const list = await replicas(balancer);
    expect(list).toHaveLength(3);
    const [redirect] = await pipelinedGets(balancer.port, ['/test.jpg']);
    const location = header(redirect!, 'Location')!;
    const response = await fetch(location);
    const sample = await readFile(new URL('../sample/test.jpg', import.meta.url));
    expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), sample)).toBe(0);
    const pids = [
      ...list.map((server) => server.pid!),
      (await admin(balancer.adminUrl!, '/rep')).json.replicas.standbyPid,
    ];
    expect(await balancer.stop('SIGINT')).toBe(0);
    expect(pids.some(isAlive)).toBe(false);
  });
});
