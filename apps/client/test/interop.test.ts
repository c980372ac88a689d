/**
 * Interoperability with peers: lb-client over nginx mirrors (plain Range servers: no fragment
 * map, no digest), nginx and lb-server mirrors mixed, a mirror that is busy (503/429) at first,
 * and aria2c downloading from lb-servers. Skipped, saying why, when nginx or aria2c is missing.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectDownloaded,
  jsonEvents,
  localPorts,
  MiB,
  runClient,
  sha256File,
  startBusyGate,
  startSingleServer,
  VirtualServers,
  writeRandomFile,
} from './helpers.js';
import { findAria2c, findNginx, type NginxMirrors, startNginx } from './nginx.js';

const nginx = findNginx();
const aria2c = findAria2c();
if (!nginx) console.log('interop: nginx is not installed; skipping the nginx mirror tests');
if (!aria2c) console.log('interop: aria2c is not installed; skipping the aria2c test');

const work = useTempDir();
let sha: string;
const size = 7 * MiB + 77;
const mirrorRoot = useTempDir(async (dir) => {
  sha = await writeRandomFile(join(dir, 'mirror.bin'), size);
});

/** A `--json` run into `out/` with metrics every 5 s (so, in these runs, only the last one). */
const jsonRunInto = (out: string, args: string[]) =>
  runClient(['--json', '-i', '5', '-o', `${out}/`, ...args]);

describe.skipIf(!nginx)('nginx mirrors', () => {
  let mirrors: NginxMirrors;
  let lb: Awaited<ReturnType<typeof startSingleServer>>;

  beforeAll(async () => {
    [mirrors, lb] = await Promise.all([
      startNginx(nginx!, mirrorRoot.path, ['2m', '4m', '8m']),
      startSingleServer(mirrorRoot.path),
    ]);
  });

  afterAll(async () => {
    await Promise.all([mirrors?.stop(), lb?.stop()]);
  });

  it('downloads from several nginx mirrors at once, checked by size and validators', async () => {
    const out = join(work.path, 'nginx');
    const run = await jsonRunInto(
      out,
      [1, 2, 3].map((k) => mirrors.url(k, '/mirror.bin')),
    );
    await expectDownloaded(run, join(out, 'mirror.bin'), sha);
    expect(readdirSync(out)).toEqual(['mirror.bin']);
    expect(run.stderr).toContain('(no digest offered: checked by size and validators only)');
    const done = jsonEvents(run.stdout).at(-1)!;
    expect(done).toMatchObject({ event: 'done', verification: 'validators' });
    expect((done.serverBytes as number[]).every((bytes) => bytes > 0)).toBe(true);
  });

  it('nginx and lb-server mirrors of one file mix: every fragment checked against the map', async () => {
    const out = join(work.path, 'mixed');
    const run = await jsonRunInto(out, [mirrors.url(3, '/mirror.bin'), lb.url('/mirror.bin')]);
    await expectDownloaded(run, join(out, 'mirror.bin'), sha);
    expect(jsonEvents(run.stdout).at(-1)).toMatchObject({
      event: 'done',
      verification: 'fragments',
    });
  });

  it('--connections auto: more connections to mirrors that limit each one, one to a server that limits itself', async () => {
    // Big enough that the ramp always has more than a second of work left to judge by.
    const bigSha = await writeRandomFile(join(mirrorRoot.path, 'big.bin'), 16 * MiB);
    const perServer = await startSingleServer(mirrorRoot.path, ['--rate', '8M']);
    try {
      // Metrics every 50 ms carry each server's connection count.
      const connectionsSeen = async (name: string, args: string[]) => {
        const out = join(work.path, name);
        const run = await runClient(['--json', '-i', '0.05', '-o', `${out}/`, ...args]);
        await expectDownloaded(run, join(out, 'big.bin'), bigSha);
        const metrics = jsonEvents(run.stdout).filter((e) => e.event === 'metrics');
        return metrics.map((e) => (e.servers as Array<{ connections: number }>)[0]!.connections);
      };
      // nginx's limit_rate 2m is per connection: each doubling doubles the speed.
      const nginxCounts = await connectionsSeen('auto-nginx', [
        mirrors.url(1, '/big.bin'),
        mirrors.url(2, '/big.bin'),
      ]);
      expect(Math.max(...nginxCounts)).toBeGreaterThanOrEqual(2);
      // lb-server's --rate 8M is the whole server's: a second connection only splits it.
      const lbCounts = await connectionsSeen('auto-lb', [
        '--file',
        'big.bin',
        ...localPorts([perServer.port]),
      ]);
      expect(Math.max(...lbCounts)).toBeLessThanOrEqual(2);
      expect(lbCounts.at(-1)).toBe(1);
    } finally {
      await perServer.stop();
    }
  });

  it.each([
    ['503 Service Unavailable', 2],
    ['429 Too Many Requests', 1],
  ] as const)(
    'a mirror answering %s at first is retried later, not dropped',
    async (status, times) => {
      const gate = await startBusyGate(mirrors.ports[2]!, times, status);
      try {
        const out = join(work.path, `busy-${status.slice(0, 3)}`);
        // One connection per mirror keeps mirror 1 slow enough for mirror 2 to rejoin (with
        // --connections auto, mirror 1's ramp could finish the file alone first).
        const run = await jsonRunInto(out, [
          '--connections',
          '1',
          mirrors.url(1, '/mirror.bin'),
          gate.url('/mirror.bin'),
        ]);
        await expectDownloaded(run, join(out, 'mirror.bin'), sha);
        expect(gate.refused()).toBe(times);
        expect(run.stderr).toContain(
          `lb-client: Server 2 (${gate.url('/mirror.bin')}) failed: the file answered ${status}; retrying in`,
        );
        expect(run.stderr).not.toContain('dropped');
        const done = jsonEvents(run.stdout).at(-1)!;
        expect((done.serverBytes as number[])[1]).toBeGreaterThan(0);
      } finally {
        await gate.close();
      }
    },
  );
});

describe.skipIf(!aria2c)('aria2c downloading from lb-servers', () => {
  let servers: VirtualServers;

  beforeAll(async () => {
    servers = await VirtualServers.start({ file: join(mirrorRoot.path, 'mirror.bin'), count: 3 });
  });

  afterAll(async () => {
    await servers?.stop();
  });

  it('gets the identical file from all of them at once', async () => {
    const out = join(work.path, 'aria2c');
    await promisify(execFile)(aria2c!, [
      `--dir=${out}`,
      '--out=mirror.bin',
      '--split=6',
      '--max-connection-per-server=2',
      '--min-split-size=1M',
      '--allow-overwrite=true',
      '--auto-file-renaming=false',
      '--file-allocation=none',
      '--console-log-level=warn',
      '--summary-interval=0',
      '--download-result=hide',
      ...servers.urls('/mirror.bin'),
    ]);
    expect(await sha256File(join(out, 'mirror.bin'))).toBe(sha);
  });
});
