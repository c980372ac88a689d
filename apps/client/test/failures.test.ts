/**
 * Servers failing under a running multi-source download, with real lb-server processes: one
 * killed (`E<k>`), all killed then one restarted (`S<k>`), all gone past --wait, a mirror that
 * corrupts bytes (`--corrupt`), one that cuts every response short (`--fail-after`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import {
  expectDownloaded,
  jsonEvents,
  jsonRunArgs,
  localPorts,
  MiB,
  type Proc,
  runClient,
  sha256File,
  spawnClient,
  useVirtualServers,
} from './helpers.js';

const work = useTempDir();

/** Resolves once a --json run reports verified bytes (the transfer is under way). */
async function progressed(proc: Proc): Promise<void> {
  await proc.waitFor(/"event":"metrics"[^\n]*"verifiedBytes":[1-9]/, 60_000, 'stdout');
}

describe('servers dying and coming back', () => {
  const movie = useVirtualServers('movie.bin', 24 * MiB + 99, {
    count: 4,
    extra: ['--rate', '4M'],
  });

  const args = (out: string, extra: string[] = []) => jsonRunArgs(out, movie.servers.ports, extra);

  it('E<k> mid-download: the others finish it, the file is identical', async () => {
    const out = join(work.path, 'one-killed');
    const proc = spawnClient(args(out));
    await progressed(proc);
    await movie.servers.kill(2);
    const { code } = await proc.exited;
    await movie.servers.restart(2);
    expect(code).toBe(0);
    expect(await sha256File(join(out, 'movie.bin'))).toBe(movie.sha);
    expect(proc.stderr).toMatch(
      new RegExp(
        `lb-client: Server 2 \\(http://127\\.0\\.0\\.1:${movie.servers.ports[1]}/movie\\.bin\\) failed: `,
      ),
    );
    const done = jsonEvents(proc.stdout).at(-1)!;
    expect(done.event).toBe('done');
  });

  it('all killed: it says it is waiting; S<k> brings one back and the download completes', async () => {
    const out = join(work.path, 'all-killed');
    const proc = spawnClient(args(out));
    await progressed(proc);
    for (const k of [1, 2, 3, 4]) await movie.servers.kill(k);
    await proc.waitFor(
      /lb-client: all servers are unreachable; waiting up to 60 s for one to come back\n/,
    );
    const waitingAt = proc.stdout.length;
    await movie.servers.restart(3);
    await proc.waitFor(/lb-client: Server 3 answers again; continuing\n/);
    const { code } = await proc.exited;
    for (const k of [1, 2, 4]) await movie.servers.restart(k);
    expect(code).toBe(0);
    expect(await sha256File(join(out, 'movie.bin'))).toBe(movie.sha);
    // After the wait only server 3 delivered anything.
    const after = jsonEvents(proc.stdout.slice(waitingAt)).filter((e) => e.event === 'metrics');
    const first = after[0]!.servers as Array<{ bytes: number }>;
    const last = after.at(-1)!.servers as Array<{ bytes: number }>;
    expect(last[2]!.bytes).toBeGreaterThan(first[2]!.bytes);
    for (const k of [0, 1, 3]) expect(last[k]!.bytes).toBe(first[k]!.bytes);
  });

  it('all gone past --wait: exit 6, the partial download stays, -r finishes it', async () => {
    const out = join(work.path, 'wait-expired');
    const proc = spawnClient(args(out, ['--wait', '1']));
    await progressed(proc);
    for (const k of [1, 2, 3, 4]) await movie.servers.kill(k);
    const { code } = await proc.exited;
    expect(code).toBe(6);
    const part = join(out, 'movie.bin.part');
    expect(proc.stderr).toContain(
      `lb-client: all servers unreachable for 1 s; the partial download is kept in ${part}: rerun with -r to resume\n`,
    );
    expect(readdirSync(out).sort()).toEqual(['movie.bin.lb-manifest.json', 'movie.bin.part']);
    const error = jsonEvents(proc.stdout).at(-1)!;
    expect(error).toMatchObject({ event: 'error', exitCode: 6, code: 'LB_DOWNLOAD_SERVERS_LOST' });
    const lastMetrics = jsonEvents(proc.stdout)
      .filter((e) => e.event === 'metrics')
      .at(-1)!;

    for (const k of [1, 2, 3, 4]) await movie.servers.restart(k);
    const resumed = await runClient(args(out, ['-r']));
    expect(resumed.code).toBe(0);
    expect(await sha256File(join(out, 'movie.bin'))).toBe(movie.sha);
    expect(readdirSync(out)).toEqual(['movie.bin']);
    const started = jsonEvents(resumed.stdout).find((e) => e.event === 'started')!;
    // The manifest was saved on the way out: everything verified before is kept.
    expect(started.resumedBytes).toBe(
      (lastMetrics.total as { verifiedBytes: number }).verifiedBytes,
    );
  });
});

describe('mirrors that lie or cut responses short', () => {
  // Server 2 flips bytes; server 3 closes every response after 300 KiB of body.
  const iso = useVirtualServers('image.iso', 12 * MiB + 7, {
    count: 4,
    extra: ['--rate', '6M', '--corrupt', '2', '--fail-after', '1G', '1G', '300K', '1G'],
  });

  it('--corrupt: bad fragments are detected and fetched elsewhere, the mirror is dropped', async () => {
    const out = join(work.path, 'corrupt');
    const ports = [1, 2, 4].map((k) => String(iso.servers.ports[k - 1]));
    const run = await runClient(['-i', '5', '-o', out, ...localPorts(ports)]);
    await expectDownloaded(run, join(out, 'image.iso'), iso.sha);
    const url = `http://127.0.0.1:${iso.servers.ports[1]}/image.iso`;
    expect(run.stderr).toMatch(
      new RegExp(
        `lb-client: fragment \\d+ from Server 2 \\(${url.replaceAll('.', '\\.')}\\) failed SHA-256 verification; fetching it elsewhere\\n`,
      ),
    );
    expect(run.stderr).toContain(
      `lb-client: Server 2 (${url}) dropped: 2 fragments failed SHA-256 verification\n`,
    );
    expect(run.stderr.match(/failed SHA-256 verification; fetching it elsewhere/g)).toHaveLength(2);
  });

  it('--fail-after: cut fragments go back to the pool and are recovered', async () => {
    const out = join(work.path, 'fail-after');
    const ports = [1, 3, 4].map((k) => String(iso.servers.ports[k - 1]));
    const run = await runClient(['--json', '-i', '5', '-o', out, ...localPorts(ports)]);
    await expectDownloaded(run, join(out, 'image.iso'), iso.sha);
    expect(run.stderr).toContain(
      `lb-client: Server 2 (http://127.0.0.1:${iso.servers.ports[2]}/image.iso) failed: the connection closed after 307200 of 1048576 body bytes; retrying in`,
    );
    const done = jsonEvents(run.stdout).at(-1)!;
    expect(done.event).toBe('done');
    expect(done.wastedBytes as number).toBeGreaterThan(0);
    expect(existsSync(join(out, 'image.iso.part'))).toBe(false);
  });
});
