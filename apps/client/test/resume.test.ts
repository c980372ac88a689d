/**
 * Resume (-r) with real processes: SIGKILL at seeded random points then -r (identical file every
 * time, bounded re-download), and every way a resume must refuse: corrupt manifest, the file
 * changed on the servers, a manifest without its .part. Without -r a partial download is replaced.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonEvents,
  jsonRunArgs,
  localPorts,
  MiB,
  type Proc,
  runClient,
  seededRandom,
  sha256File,
  spawnClient,
  startRawServer,
  startSingleServer,
  useVirtualServers,
  writeRandomFile,
} from './helpers.js';
import { runKillTrial, type TrialResult } from './kill-and-resume.js';

const TRIALS = 50;
const CONCURRENT_TRIALS = 3;
const SEED = 20_261_121;

const work = useTempDir();

describe(`SIGKILL at ${TRIALS} seeded random points, then -r`, () => {
  const source = useVirtualServers('trial.bin', 5 * MiB + 333, {
    count: 4,
    extra: ['--rate', '16M'],
  });

  it('always ends with the identical file and re-downloads within the bound', async () => {
    const random = seededRandom(SEED);
    const fractions = Array.from({ length: TRIALS }, () => 0.05 + 0.9 * random());
    const results: TrialResult[] = [];
    let next = 0;
    const lane = async () => {
      while (next < fractions.length) {
        const trial = next++;
        results[trial] = await runKillTrial({
          ports: source.servers.ports,
          outDir: join(work.path, `trial-${trial}`),
          killAtFraction: fractions[trial]!,
          fileName: 'trial.bin',
          expectedSha256: source.sha,
        });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_TRIALS }, lane));

    const failures = results
      .map((result, trial) => ({ trial, fraction: fractions[trial], ...result }))
      .filter(
        (r) =>
          !r.identical ||
          r.redownloaded > r.bound ||
          // The manifest holds at least what the last report said was saved.
          r.resumed < r.checkpointed1 ||
          // Run 2 fetches only what is missing, plus at most one endgame copy per connection.
          r.received2 > r.size - r.resumed + r.connections * r.fragmentSize,
      );
    expect(failures).toEqual([]);
    // Most trials were really cut mid-transfer (not after the download had finished).
    expect(results.filter((r) => r.killed).length).toBeGreaterThanOrEqual(TRIALS * 0.8);
  }, 180_000);
});

describe('resume safety', () => {
  let server: Awaited<ReturnType<typeof startSingleServer>>;
  const size = 8 * MiB + 5;
  const root = useTempDir((dir) => writeRandomFile(join(dir, 'doc.bin'), size));

  beforeAll(async () => {
    server = await startSingleServer(root.path, ['--rate', '8M']);
  });

  afterAll(async () => {
    await server?.stop();
  });

  const args = (out: string, extra: string[] = []) => jsonRunArgs(out, [server.port], extra);

  /** Starts a download and SIGKILLs it once something is checkpointed. */
  async function interrupted(name: string): Promise<string> {
    const out = join(work.path, name);
    const proc: Proc = spawnClient(args(out, ['--checkpoint-interval', '0.1']));
    await proc.waitFor(/"checkpointedBytes":[1-9]/, 60_000, 'stdout');
    proc.kill('SIGKILL');
    await proc.exited;
    // A kill in the middle of a save leaves that save's temporary file; the target stays whole.
    const left = readdirSync(out).filter(
      (name) => !/^\.doc\.bin\.lb-manifest\.json\.\d+\.\d+\.tmp$/.test(name),
    );
    expect(left.sort()).toEqual(['doc.bin.lb-manifest.json', 'doc.bin.part']);
    return out;
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s saves the manifest on the way out (exit %i); -r continues from it',
    async (signal, exitCode) => {
      const out = join(work.path, `signal-${signal}`);
      // No periodic save: whatever -r finds was saved by the signal handler.
      const proc = spawnClient(args(out, ['--checkpoint-interval', '600']));
      await proc.waitFor(/"verifiedBytes":[1-9]/, 60_000, 'stdout');
      proc.kill(signal);
      const { code } = await proc.exited;
      expect(code).toBe(exitCode);
      expect(proc.stderr).toContain(`lb-client: interrupted by ${signal}\n`);
      expect(readdirSync(out).sort()).toEqual(['doc.bin.lb-manifest.json', 'doc.bin.part']);
      const reported = jsonEvents(proc.stdout)
        .filter((e) => e.event === 'metrics')
        .at(-1)!;
      const run = await runClient(args(out, ['-r']));
      expect(run.code).toBe(0);
      const started = jsonEvents(run.stdout).find((e) => e.event === 'started')!;
      expect(started.resumedBytes as number).toBeGreaterThanOrEqual(
        (reported.total as { verifiedBytes: number }).verifiedBytes,
      );
      expect(await sha256File(join(out, 'doc.bin'))).toBe(
        await sha256File(join(root.path, 'doc.bin')),
      );
    },
  );

  it('--log-level info adds pino JSON logs on stderr; the default adds none', async () => {
    const dead = await startRawServer(() => {});
    await dead.close();
    const ports = [String(server.port), String(dead.port)];
    const download = (name: string, extra: string[] = []) =>
      runClient([...extra, '-i', '60', '-o', join(work.path, name), ...localPorts(ports)]);
    const quiet = await download('logs-quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('{"level"');
    const loud = await download('logs-info', ['--log-level', 'info']);
    expect(loud.code).toBe(0);
    const logs = loud.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map(
        (line) =>
          JSON.parse(line) as { level: number; msg: string; server?: number; module?: string },
      );
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 30, msg: 'mirror failed', server: 2, module: 'engine' }),
    );
  });

  it('a corrupt manifest: exit 7, nothing touched', async () => {
    const out = await interrupted('corrupt-manifest');
    const manifest = join(out, 'doc.bin.lb-manifest.json');
    const text = await readFile(manifest, 'utf8');
    await writeFile(manifest, text.replace('"fragmentSize": 1048576', '"fragmentSize": 1048577'));
    const partBefore = await sha256File(join(out, 'doc.bin.part'));
    const run = await runClient(args(out, ['-r']));
    expect(run.code).toBe(7);
    expect(run.stderr).toContain(
      `lb-client: cannot resume: the manifest ${manifest} is unreadable (Corrupt manifest ${manifest}: checksum mismatch); rerun without -r to start over\n`,
    );
    expect(await sha256File(join(out, 'doc.bin.part'))).toBe(partBefore);
    expect(existsSync(join(out, 'doc.bin'))).toBe(false);
  });

  it('a manifest that is not JSON at all: exit 7', async () => {
    const out = await interrupted('garbage-manifest');
    await writeFile(join(out, 'doc.bin.lb-manifest.json'), '{"version": 1, "fil');
    const run = await runClient(args(out, ['-r']));
    expect(run.code).toBe(7);
    expect(run.stderr).toContain('not valid JSON); rerun without -r to start over');
  });

  it('a manifest without its .part: exit 7', async () => {
    const out = await interrupted('no-part');
    await rm(join(out, 'doc.bin.part'));
    const run = await runClient(args(out, ['-r']));
    expect(run.code).toBe(7);
    expect(run.stderr).toContain(
      `lb-client: cannot resume: ${join(out, 'doc.bin.lb-manifest.json')} exists but ${join(out, 'doc.bin.part')} does not; rerun without -r to start over\n`,
    );
  });

  it('without -r the partial download is replaced, and it says so', async () => {
    const out = await interrupted('replace');
    // What a crash during a save leaves behind; it goes with the manifest.
    await writeFile(join(out, '.doc.bin.lb-manifest.json.99999.1.tmp'), '{"torn');
    const run = await runClient(args(out));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `lb-client: replacing the partial download ${join(out, 'doc.bin.part')} (use -r to resume it instead)\n`,
    );
    expect(await sha256File(join(out, 'doc.bin'))).toBe(
      await sha256File(join(root.path, 'doc.bin')),
    );
    expect(jsonEvents(run.stdout).find((e) => e.event === 'started')!.resumedBytes).toBe(0);
    expect(readdirSync(out)).toEqual(['doc.bin']);
  });

  it('-r with nothing to resume starts a new download', async () => {
    const out = join(work.path, 'nothing');
    await mkdir(out, { recursive: true });
    const run = await runClient(args(out, ['-r']));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `lb-client: nothing to resume at ${join(out, 'doc.bin.part')}: starting a new download\n`,
    );
  });

  it('-r after a run that finished but was killed before removing its manifest', async () => {
    const out = await interrupted('finished');
    const manifest = join(out, 'doc.bin.lb-manifest.json');
    const saved = await readFile(manifest);
    expect((await runClient(args(out, ['-r']))).code).toBe(0);
    await writeFile(manifest, saved);
    const run = await runClient(args(out, ['-r']));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `lb-client: ${join(out, 'doc.bin')} was already downloaded and verified; removed its leftover manifest\n`,
    );
    expect(readdirSync(out)).toEqual(['doc.bin']);
    expect(await sha256File(join(out, 'doc.bin'))).toBe(
      await sha256File(join(root.path, 'doc.bin')),
    );

    // And -r once more: nothing to fetch.
    const again = await runClient(args(out, ['-r']));
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      `lb-client: ${join(out, 'doc.bin')} is already downloaded and verified\n`,
    );
    expect(jsonEvents(again.stdout).at(-1)).toMatchObject({ event: 'done', serverBytes: [0] });
  });

  // Last: it changes the served file.
  it('the file changed on the server: exit 7, never a file mixing two versions', async () => {
    const out = await interrupted('changed');
    const partBefore = await sha256File(join(out, 'doc.bin.part'));
    await writeRandomFile(join(root.path, 'doc.bin'), size);
    const run = await runClient(args(out, ['-r']));
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(
      new RegExp(
        `^lb-client: cannot resume: the file on the servers is not the one ${join(out, 'doc.bin.part').replaceAll('.', '\\.')} was started from \\(sha256 was \\S+, is now \\S+\\); rerun without -r to download it anew\\n`,
        'm',
      ),
    );
    expect(await sha256File(join(out, 'doc.bin.part'))).toBe(partBefore);
    expect(existsSync(join(out, 'doc.bin'))).toBe(false);
  });
});
