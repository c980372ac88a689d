/**
 * lb-client benchmark (`pnpm --filter @lb/client bench [-- --runs N --trials N]`). Same run, same
 * mirrors, a 64 MiB file of random bytes:
 *
 *   (a) 4 lb-servers at --rate 2M 4M 8M 16M: lb-client vs the ideal size/Σrate and vs aria2c
 *       (--split=8 -x16 --min-split-size=1M --uri-selector=adaptive);
 *   (b) 4 nginx mirrors with limit_rate 2m/4m/8m/16m: lb-client vs aria2c;
 *   (c) as (a), the fastest server killed (E4) 0.5 s after the client started;
 *   (d) peak RSS (VmHWM) of lb-client downloading a 1 GiB file from 4 unthrottled lb-servers;
 *   (e) SIGKILL/resume trials (more than the test suite runs).
 *
 * Times are wall-clock from spawn to exit (medians of --runs), so they include process start-up;
 * the client's own `elapsedMs` (engine only) is shown beside. Results are printed as Markdown and
 * written between the markers in docs/benchmarks/client.md.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { APP_DIR, buildClientBundle } from '../test/client-bundle.js';
import {
  jsonEvents,
  MiB,
  makeTempDir,
  Proc,
  removeDir,
  seededRandom,
  sha256File,
  startSingleServer,
  VirtualServers,
  writeRandomFile,
} from '../test/helpers.js';
import { runKillTrial } from '../test/kill-and-resume.js';
import { findAria2c, findNginx, startNginx } from '../test/nginx.js';

const args = process.argv.slice(2);
function flag(name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}
const RUNS = flag('runs', 3);
/** `--only a,b`: run just those sections (default: all of a–e). */
const ONLY = new Set(
  (args[args.indexOf('--only') + 1] ?? '').split(',').filter(() => args.includes('--only')),
);
const section = (name: string) => ONLY.size === 0 || ONLY.has(name);
const TRIALS = flag('trials', 200);
const SIZE = 64 * MiB;
const RATES = [2, 4, 8, 16];
const SUM_RATE = RATES.reduce((a, b) => a + b) * MiB;
const DOC = join(APP_DIR, '..', '..', 'docs', 'benchmarks', 'client.md');

const lines: string[] = [];
function out(line = ''): void {
  lines.push(line);
  console.log(line);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Timed {
  ms: number;
  engineMs?: number;
  duplicateBytes?: number;
  ok: boolean;
}

async function timeClient(
  clientArgs: string[],
  expectSha: string,
  outFile: string,
): Promise<Timed> {
  await removeDir(outFile.slice(0, outFile.lastIndexOf('/')));
  const started = performance.now();
  const proc = new Proc(
    spawn(
      process.execPath,
      [process.env['LB_CLIENT_BUNDLE']!, '--json', '-i', '60', ...clientArgs],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  const { code } = await proc.exited;
  const ms = performance.now() - started;
  const done = jsonEvents(proc.stdout).find((e) => e.event === 'done');
  const ok = code === 0 && (await sha256File(outFile)) === expectSha;
  if (!ok) console.error(proc.stderr);
  return {
    ms,
    engineMs: done?.elapsedMs as number | undefined,
    duplicateBytes: done?.duplicateBytes as number | undefined,
    ok,
  };
}

async function timeAria2c(urls: string[], dir: string, expectSha: string): Promise<Timed> {
  await removeDir(dir);
  const started = performance.now();
  const proc = new Proc(
    spawn(
      'aria2c',
      [
        `--dir=${dir}`,
        '--out=file.bin',
        '--split=8',
        '-x16',
        '--min-split-size=1M',
        '--uri-selector=adaptive',
        '--allow-overwrite=true',
        '--auto-file-renaming=false',
        '--console-log-level=warn',
        '--summary-interval=0',
        '--download-result=hide',
        ...urls,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  const { code } = await proc.exited;
  const ms = performance.now() - started;
  const ok = code === 0 && (await sha256File(join(dir, 'file.bin'))) === expectSha;
  if (!ok) console.error(proc.stdout, proc.stderr);
  return { ms, ok };
}

function summary(label: string, runs: Timed[], ideal?: number, baseline?: number): string {
  const ms = median(runs.map((r) => r.ms));
  const engine = runs.every((r) => r.engineMs !== undefined)
    ? s(median(runs.map((r) => r.engineMs!)))
    : '–';
  const ok = runs.every((r) => r.ok) ? 'yes' : 'NO';
  const vsIdeal = ideal === undefined ? '–' : `${(ms / ideal).toFixed(3)}×`;
  const vsBase = baseline === undefined ? '–' : `${(ms / baseline).toFixed(3)}×`;
  return `| ${label} | ${s(ms)} | ${engine} | ${vsIdeal} | ${vsBase} | ${runs.map((r) => s(r.ms)).join(', ')} | ${ok} |`;
}

const HEADER =
  '| client | median wall time | median engine time | vs ideal | vs aria2c | runs | identical |\n|---|---|---|---|---|---|---|';

async function main(): Promise<void> {
  const work = await makeTempDir('lb-client-bench-');
  const bundle = await buildClientBundle(join(work, 'lb-client.bench-bundle.mjs'));
  process.env['LB_CLIENT_BUNDLE'] = bundle;
  const aria2c = findAria2c();
  const nginx = findNginx();
  const source = join(work, 'src');
  const file = join(source, 'file.bin');
  await (await import('node:fs/promises')).mkdir(source, { recursive: true });
  const sha = await writeRandomFile(file, SIZE);
  const ideal = (SIZE / SUM_RATE) * 1000;
  out(
    `Run on ${new Date().toISOString()}, Node ${process.version}, ${RUNS} runs per row (median), load average ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')} at start.`,
  );
  out();

  try {
    // (a) and (c)
    if (section('a') || section('c')) {
      const servers = await VirtualServers.start({
        file,
        count: 4,
        extra: ['--rate', ...RATES.map((r) => `${r}M`)],
      });
      try {
        const ports = servers.ports.map(String);
        const ours: Timed[] = [];
        const theirs: Timed[] = [];
        for (let run = 0; section('a') && run < RUNS; run++) {
          ours.push(
            await timeClient(
              ['-o', join(work, 'a'), '-a', '127.0.0.1', '-p', ...ports],
              sha,
              join(work, 'a', 'file.bin'),
            ),
          );
          if (aria2c)
            theirs.push(await timeAria2c(servers.urls('/file.bin'), join(work, 'a-aria2c'), sha));
        }
        if (ours.length > 0) {
          out(
            `### (a) 4 lb-servers at --rate 2M 4M 8M 16M, 64 MiB — ideal ${s(ideal)} (size / Σrate)`,
          );
          out();
          out(HEADER);
          const base = aria2c ? median(theirs.map((r) => r.ms)) : undefined;
          out(summary('lb-client', ours, ideal, base));
          if (aria2c) out(summary('aria2c', theirs, ideal, base));
          out();
          const dup = median(ours.map((r) => r.duplicateBytes ?? 0));
          out(
            `lb-client's endgame duplicates (median): ${(dup / MiB).toFixed(2)} MiB = ${((100 * dup) / SIZE).toFixed(2)}% of the file.`,
          );
          out();
        }

        // (c): E4 at 0.5 s. Ideal: 0.5 s at Σrate, the rest at Σrate − 16M.
        const killAtMs = 500;
        const after = SUM_RATE - 16 * MiB;
        const idealC = killAtMs + ((SIZE - (SUM_RATE * killAtMs) / 1000) / after) * 1000;
        const oursC: Timed[] = [];
        const theirsC: Timed[] = [];
        const withKill = async (runOne: () => Promise<Timed>) => {
          const timer = setTimeout(() => servers.proc.send('E4'), killAtMs);
          const result = await runOne();
          clearTimeout(timer);
          await servers.restart(4);
          return result;
        };
        for (let run = 0; section('c') && run < RUNS; run++) {
          oursC.push(
            await withKill(() =>
              timeClient(
                ['-o', join(work, 'c'), '-a', '127.0.0.1', '-p', ...ports],
                sha,
                join(work, 'c', 'file.bin'),
              ),
            ),
          );
          if (aria2c)
            theirsC.push(
              await withKill(() =>
                timeAria2c(servers.urls('/file.bin'), join(work, 'c-aria2c'), sha),
              ),
            );
        }
        if (oursC.length > 0) {
          out(
            `### (c) as (a), the fastest server killed (E4) 0.5 s after start — ideal ${s(idealC)}`,
          );
          out();
          out(HEADER);
          const baseC = aria2c ? median(theirsC.map((r) => r.ms)) : undefined;
          out(summary('lb-client', oursC, idealC, baseC));
          if (aria2c) out(summary('aria2c', theirsC, idealC, baseC));
          out();
        }
      } finally {
        await servers.stop();
      }
    }

    // (b)
    if (!section('b')) {
      // skipped by --only
    } else if (nginx && aria2c) {
      const mirrors = await startNginx(
        nginx,
        source,
        RATES.map((r) => `${r}m`),
      );
      try {
        const urls = [1, 2, 3, 4].map((k) => mirrors.url(k, '/file.bin'));
        // The default (auto: the ramp finds the per-connection limits) and fixed counts.
        const variants = ['auto', '1', '2', '4'];
        const ours = new Map<string, Timed[]>(variants.map((v) => [v, []]));
        const theirs: Timed[] = [];
        for (let run = 0; run < RUNS; run++) {
          for (const variant of variants) {
            const outFile = join(work, `b-${variant}`, 'file.bin');
            const flags = variant === 'auto' ? [] : ['--connections', variant];
            ours
              .get(variant)!
              .push(await timeClient([...flags, '-o', outFile, ...urls], sha, outFile));
          }
          theirs.push(await timeAria2c(urls, join(work, 'b-aria2c'), sha));
        }
        out(
          '### (b) 4 nginx mirrors, limit_rate 2m 4m 8m 16m (per connection, as nginx applies it), 64 MiB',
        );
        out();
        out(HEADER);
        const base = median(theirs.map((r) => r.ms));
        out(
          summary(
            'lb-client (default --connections auto, up to 4 per mirror)',
            ours.get('auto')!,
            ideal / 4,
            base,
          ),
        );
        out(summary('lb-client --connections 1', ours.get('1')!, ideal, base));
        out(
          summary(
            'lb-client --connections 2 (8 in all, as aria2c --split=8)',
            ours.get('2')!,
            ideal / 2,
            base,
          ),
        );
        out(summary('lb-client --connections 4', ours.get('4')!, ideal / 4, base));
        out(summary('aria2c', theirs, undefined, base));
        out();
        out(
          `"vs ideal" for one connection per mirror is size/Σlimit_rate = ${s(ideal)}; with k per mirror, 1/k of that (auto: k = 4, its most).`,
        );
        out();
      } finally {
        await mirrors.stop();
      }
    } else {
      out(`### (b) skipped: ${nginx ? '' : 'nginx '}${aria2c ? '' : 'aria2c '}not installed`);
      out();
    }

    // (d) peak RSS, 1 GiB.
    if (section('d')) {
      const big = join(work, 'big');
      await (await import('node:fs/promises')).mkdir(big, { recursive: true });
      const bigSha = await writeRandomFile(join(big, 'huge.bin'), 1024 * MiB);
      const singles = await Promise.all([0, 1, 2, 3].map(() => startSingleServer(big)));
      try {
        // Let the servers hash the file (fragment maps) before timing anything.
        await Promise.all(
          singles.map((srv) =>
            fetch(srv.url('/.lb/fragment-map/huge.bin')).then((r) => r.arrayBuffer()),
          ),
        );
        const peaks: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          const dir = join(work, 'd');
          await removeDir(dir);
          const proc = new Proc(
            spawn(
              process.execPath,
              [
                bundle,
                '-i',
                '600',
                '-o',
                dir,
                '-a',
                '127.0.0.1',
                '-p',
                ...singles.map((x) => String(x.port)),
              ],
              {
                stdio: ['ignore', 'pipe', 'pipe'],
              },
            ),
          );
          let peak = 0;
          const poll = setInterval(async () => {
            const status = await readFile(`/proc/${proc.pid}/status`, 'utf8').catch(() => '');
            const match = /VmHWM:\s+(\d+) kB/.exec(status);
            if (match) peak = Math.max(peak, Number(match[1]));
          }, 20);
          const { code } = await proc.exited;
          clearInterval(poll);
          const ok = code === 0 && (await sha256File(join(dir, 'huge.bin'))) === bigSha;
          peaks.push(ok ? peak : Number.NaN);
        }
        out('### (d) peak RSS (VmHWM) downloading 1 GiB from 4 unthrottled lb-servers');
        out();
        out(
          `| runs (KiB) | median | target |\n|---|---|---|\n| ${peaks.join(', ')} | ${(median(peaks) / 1024).toFixed(1)} MiB | < 64 MiB |`,
        );
        out();
      } finally {
        await Promise.all(singles.map((x) => x.stop()));
      }
    }
    // (e) SIGKILL/resume trials.
    if (section('e')) {
      const trialServers = await VirtualServers.start({
        file: join(source, 'file.bin'),
        count: 4,
        extra: ['--rate', '32M'],
      });
      try {
        const random = seededRandom(7);
        let identical = 0;
        let killed = 0;
        let worst = 0;
        let worstBound = 0;
        let total = 0;
        for (let trial = 0; trial < TRIALS; trial++) {
          const result = await runKillTrial({
            ports: trialServers.ports,
            outDir: join(work, 'e', `t${trial}`),
            killAtFraction: 0.02 + 0.95 * random(),
            fileName: 'file.bin',
            expectedSha256: sha,
          });
          await removeDir(join(work, 'e', `t${trial}`));
          if (result.identical) identical++;
          if (result.killed) killed++;
          total += result.redownloaded;
          if (result.redownloaded / Math.max(1, result.bound) > worst / Math.max(1, worstBound)) {
            worst = result.redownloaded;
            worstBound = result.bound;
          }
        }
        out(
          `### (e) ${TRIALS} SIGKILL/resume trials (64 MiB, 4 lb-servers at 32M, seeded kill points)`,
        );
        out();
        out(
          '| identical after -r | killed mid-transfer | mean re-downloaded | trial closest to its bound: re-downloaded / bound |\n|---|---|---|---|',
        );
        out(
          `| ${identical}/${TRIALS} | ${killed} | ${(total / TRIALS / MiB).toFixed(2)} MiB | ${(worst / MiB).toFixed(2)} MiB / ${(worstBound / MiB).toFixed(2)} MiB |`,
        );
        out();
      } finally {
        await trialServers.stop();
      }
    }
  } finally {
    await removeDir(work);
  }

  const doc = await readFile(DOC, 'utf8').catch(() => '');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  if (ONLY.size > 0) {
    console.log(`\n${DOC} not written: --only ran part of the sections`);
  } else if (doc.includes(start) && doc.includes(end)) {
    const updated = `${doc.slice(0, doc.indexOf(start) + start.length)}\n${lines.join('\n')}\n${doc.slice(doc.indexOf(end))}`;
    await writeFile(DOC, updated);
    console.log(`\nwrote ${DOC}`);
  }
}

await main();
