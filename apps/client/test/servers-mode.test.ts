/**
 * Mode 2 end to end: `lb-client -i -o -a -p …` against real lb-server processes: the metrics
 * format, faster servers doing more, the file chosen from the servers' index, servers that do not
 * answer, mirrors that disagree.
 */
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectDownloaded,
  jsonEvents,
  localPorts,
  MiB,
  runClient,
  startRawServer,
  startSingleServer,
  useVirtualServers,
  writeRandomFile,
} from './helpers.js';

const LINE = /^(Server [1-9]\d*|Total): (\d+)\/(\d+), download speed: (\d+\.\d{2})kb\/s$/;

const work = useTempDir();

/** The metrics blocks of a text run: arrays of n+1 parsed lines. */
function metricBlocks(stdout: string, servers: number) {
  const lines = stdout.split('\n').filter((line) => line !== '');
  expect(lines.length % (servers + 1)).toBe(0);
  const blocks: Array<Array<{ label: string; bytes: number; size: number; speed: number }>> = [];
  for (let i = 0; i < lines.length; i += servers + 1) {
    blocks.push(
      lines.slice(i, i + servers + 1).map((line, k) => {
        const match = LINE.exec(line);
        expect(match, line).not.toBeNull();
        expect(match![1]).toBe(k === servers ? 'Total' : `Server ${k + 1}`);
        return {
          label: match![1]!,
          bytes: Number(match![2]),
          size: Number(match![3]),
          speed: Number(match![4]),
        };
      }),
    );
  }
  return blocks;
}

describe('4 servers at --rate 2M 4M 8M 16M', () => {
  const size = 20 * MiB + 4321;
  const payload = useVirtualServers('payload.bin', size, {
    count: 4,
    extra: ['--rate', '2M', '4M', '8M', '16M'],
  });
  /** `-a 127.0.0.1 -p` and the four ports (more ports may follow). */
  const mirrorArgs = () => localPorts(payload.servers.ports);

  it('prints the metrics lines every interval and the faster servers deliver more', async () => {
    const out = join(work.path, 'rates');
    const run = await runClient(['-i', '0.2', '-o', out, ...mirrorArgs()]);
    await expectDownloaded(run, join(out, 'payload.bin'), payload.sha);
    expect(readdirSync(out)).toEqual(['payload.bin']);

    const blocks = metricBlocks(run.stdout, 4);
    // ~0.7 s of transfer at 0.2 s intervals, plus the last (partial) report.
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) for (const line of block) expect(line.size).toBe(size);
    // Counters only grow.
    for (let b = 1; b < blocks.length; b++) {
      for (let k = 0; k < 5; k++)
        expect(blocks[b]![k]!.bytes).toBeGreaterThanOrEqual(blocks[b - 1]![k]!.bytes);
    }
    const last = blocks.at(-1)!;
    expect(last[4]!.bytes).toBe(size);
    const [s1, s2, s3, s4] = last.map((line) => line.bytes);
    expect(s4!).toBeGreaterThan(s2!);
    expect(s3!).toBeGreaterThan(s1!);
    expect(s4!).toBeGreaterThan(s1!);
    // Every byte of the file came from some server; duplicates stay small.
    expect(s1! + s2! + s3! + s4!).toBeGreaterThanOrEqual(size);
    expect(s1! + s2! + s3! + s4! - size).toBeLessThan(0.05 * size + MiB);
    expect(run.stderr).toContain(
      `lb-client: downloading ${join(out, 'payload.bin')}: ${size} bytes in 21 fragments of 1048576 bytes (each fragment and the whole file checked by SHA-256)`,
    );
  });

  it('--json prints one metrics event per interval, then done', async () => {
    const out = join(work.path, 'json');
    const run = await runClient(['--json', '-i', '0.25', '-o', out, ...mirrorArgs()]);
    await expectDownloaded(run, join(out, 'payload.bin'), payload.sha);
    const events = jsonEvents(run.stdout);
    expect(
      run.stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => line.startsWith('{')),
    ).toBe(true);
    expect(events[0]!.event).toBe('started');
    const metrics = events.filter((e) => e.event === 'metrics');
    expect(metrics.length).toBeGreaterThanOrEqual(2);
    for (const event of metrics) {
      expect(event.size).toBe(size);
      expect((event.servers as unknown[]).length).toBe(4);
    }
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.size).toBe(size);
    expect(done.resumedBytes).toBe(0);
    const bytes = done.serverBytes as number[];
    expect(bytes.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(size);
    // Endgame copies cost less than 2% of the file plus one fragment.
    expect(done.duplicateBytes as number).toBeLessThan(0.02 * size + MiB);
  });

  it('a port where nothing answers is retried, the others do the work', async () => {
    const dead = await startRawServer(() => {});
    const deadPort = dead.port;
    await dead.close();
    const out = join(work.path, 'one-dead');
    const run = await runClient([
      '-i',
      '5',
      '--wait',
      '30',
      '-o',
      out,
      ...mirrorArgs(),
      String(deadPort),
    ]);
    await expectDownloaded(run, join(out, 'payload.bin'), payload.sha);
    expect(run.stderr).toContain(
      `lb-client: Server 5 (http://127.0.0.1:${deadPort}/payload.bin) failed: connection refused; retrying in`,
    );
    const last = metricBlocks(run.stdout, 5).at(-1)!;
    expect(last[4]!.bytes).toBe(0);
  });
});

describe('choosing the file and the mirrors', () => {
  let shaA: string;
  const rootA = useTempDir(async (dir) => {
    shaA = await writeRandomFile(join(dir, 'same-name.bin'), 5 * MiB + 1);
    await writeRandomFile(join(dir, 'other.bin'), 1000);
  });
  const rootB = useTempDir((dir) => writeRandomFile(join(dir, 'same-name.bin'), 5 * MiB + 1));
  let a: Array<Awaited<ReturnType<typeof startSingleServer>>>;
  let b: Awaited<ReturnType<typeof startSingleServer>>;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      Promise.all([startSingleServer(rootA.path), startSingleServer(rootA.path)]),
      startSingleServer(rootB.path),
    ]);
  });

  afterAll(async () => {
    await Promise.all([...(a ?? []).map((s) => s.stop()), b?.stop()]);
  });

  it('servers with several files and no --file: exit 2, listing them', async () => {
    const run = await runClient(['-o', join(work.path, 'several'), ...localPorts([a[0]!.port])]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^lb-client: the servers serve 2 files; choose one with --file NAME: (other\.bin, same-name\.bin|same-name\.bin, other\.bin)\n$/,
    );
  });

  it('mirrors that disagree are named and the majority is used', async () => {
    const out = join(work.path, 'majority');
    await mkdir(out, { recursive: true });
    const ports = [b.port, a[0]!.port, a[1]!.port].map(String);
    const run = await runClient([
      '--file',
      'same-name.bin',
      '-i',
      '5',
      '-o',
      out,
      ...localPorts(ports),
    ]);
    await expectDownloaded(run, join(out, 'same-name.bin'), shaA);
    expect(run.stderr).toMatch(
      new RegExp(
        `lb-client: Server 1 \\(http://127\\.0\\.0\\.1:${b.port}/same-name\\.bin\\) is not used: it disagrees with the other mirrors \\(SHA-256 \\S+ instead of \\S+\\)`,
      ),
    );
    const last = metricBlocks(run.stdout, 3).at(-1)!;
    expect(last[0]!.bytes).toBe(0);
  });

  it('--file naming a file the servers do not have: exit 3', async () => {
    const run = await runClient([
      '--file',
      'absent.bin',
      '-o',
      join(work.path, 'absent'),
      ...localPorts([a[0]!.port]),
      String(a[1]!.port),
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('lb-client: no usable mirror left:\n');
    expect(run.stderr).toContain(
      `Server 1 (http://127.0.0.1:${a[0]!.port}/absent.bin): the file answered 404 Not Found`,
    );
  });

  it('several URLs of one file are mirrors (aria2c style)', async () => {
    const out = join(work.path, 'urls');
    const run = await runClient([
      '-i',
      '5',
      '-o',
      `${out}/`,
      a[0]!.url('/same-name.bin'),
      a[1]!.url('/same-name.bin'),
    ]);
    await expectDownloaded(run, join(out, 'same-name.bin'), shaA);
    expect(metricBlocks(run.stdout, 2).length).toBeGreaterThanOrEqual(1);
  });
});
