/**
 * Redirect throughput of lb-balancer against two baselines measured in the same run:
 *
 * - nginx `return 301` (generated temporary config, one worker, `daemon off`, no access log);
 * - a `node:http` server answering the same 301 as the balancer (bench/node-http-redirect.ts).
 *
 * wrk on loopback, keep-alive, 64 connections; rounds are interleaved (each round runs every target
 * once, in rotating order) and the median round is reported, because the machine is shared. Then
 * the balancer's RSS is sampled at the start, middle and end of 1,000,000 redirects.
 *
 *   pnpm --filter @lb/balancer bench [--duration 10] [--rounds 3] [--connections 64] [--threads 2]
 *
 * Prints a Markdown report (docs/benchmarks/balancer.md holds the latest one).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  killAllNow,
  spawnApp,
  startApp,
  startBalancer,
  startServer,
  stopAllApps,
} from '@lb/test-kit';

const BALANCER_DIR = fileURLToPath(new URL('../', import.meta.url));

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

const DURATION = flag('duration', 10);
const ROUNDS = flag('rounds', 3);
const CONNECTIONS = flag('connections', 64);
const THREADS = flag('threads', 2);
const RSS_REQUESTS = flag('rss-requests', 1_000_000);

async function waitForPort(port: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startNginx(
  dir: string,
  redirectTo: string,
): Promise<{ url: string; pid: number } | undefined> {
  if (!existsSync('/usr/sbin/nginx')) return undefined;
  const port = await freePort();
  const config = `worker_processes 1;
daemon off;
error_log ${dir}/error.log;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:${port};
    location / { return 301 ${redirectTo}$request_uri; }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), config);
  const nginx = spawnApp({
    command: '/usr/sbin/nginx',
    args: ['-c', join(dir, 'nginx.conf'), '-p', dir],
    label: 'nginx',
  });
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}`, pid: nginx.pid };
}

interface WrkResult {
  requestsPerSec: number;
  p99Ms: number;
  requests: number;
  errors: string | null;
  /** CPU time the server's processes spent per request: robust to a busy, shared machine. */
  cpuMicrosPerRequest: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process and its children (nginx's worker), in clock ticks. */
async function cpuTicks(pid: number): Promise<number> {
  let ticks = 0;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the parenthesised command: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  for (const child of children.split(' ').filter(Boolean)) ticks += await cpuTicks(Number(child));
  return ticks;
}

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(value);
  if (!match) return Number.NaN;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(match[1]) * scale;
}

async function measure(url: string, pid: number, seconds: number): Promise<WrkResult> {
  const before = await cpuTicks(pid);
  const result = wrk(url, seconds);
  const ticks = (await cpuTicks(pid)) - before;
  return {
    ...result,
    cpuMicrosPerRequest: ((ticks / CLOCK_TICKS_PER_SECOND) * 1e6) / result.requests,
  };
}

function wrk(url: string, seconds: number): Omit<WrkResult, 'cpuMicrosPerRequest'> {
  const output = execFileSync(
    'wrk',
    [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', `${url}/test.jpg`],
    { encoding: 'utf8' },
  );
  const requestsPerSec = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const p99Ms = toMs(/^\s+99%\s+(\S+)$/m.exec(output)?.[1] ?? '');
  const requests = Number(/(\d+) requests in/.exec(output)?.[1]);
  const errorLines = output.split('\n').filter((line) => /Socket errors|Non-2xx/.test(line));
  return {
    requestsPerSec,
    p99Ms,
    requests,
    errors: errorLines.length > 0 ? errorLines.join('; ').trim() : null,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(os.tmpdir(), 'lb-balancer-bench-'));
  try {
    const sample = join(BALANCER_DIR, 'sample');
    // Every program prints its --json listening event, which the test kit waits for.
    const backends = await Promise.all(
      [1, 2, 3].map((id) =>
        startServer(['--root', sample, '--port', '0', '--id', `b${id}`, '--log-level', 'warn']),
      ),
    );
    const balancer = await startBalancer([
      '--port',
      '0',
      '--probe-interval',
      '3600',
      '--idle-timeout',
      '600',
      '--log-level',
      'warn',
      ...backends.map((backend) => backend.id),
    ]);
    const nodeHttp = await startApp({
      args: ['--import', 'tsx', 'bench/node-http-redirect.ts', '0'],
      cwd: BALANCER_DIR,
      label: 'node:http redirect',
    });
    const nginx = await startNginx(dir, backends[0]!.url);

    const targets: Array<[string, string, number]> = [
      ['lb-balancer', balancer.url, balancer.process.pid],
      ['node:http 301', nodeHttp.url, nodeHttp.process.pid],
      ...(nginx === undefined
        ? []
        : ([['nginx return 301', nginx.url, nginx.pid]] as Array<[string, string, number]>)),
    ];
    for (const [, url] of targets) wrk(url, 2); // warm-up: JIT, connection setup

    const results = new Map<string, WrkResult[]>(targets.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < targets.length; i++) {
        const [name, url, pid] = targets[(i + round) % targets.length]!;
        const result = await measure(url, pid, DURATION);
        results.get(name)!.push(result);
        process.stderr.write(
          `round ${round + 1} ${name}: ${result.requestsPerSec.toFixed(0)} req/s, p99 ${result.p99Ms} ms, ${result.cpuMicrosPerRequest.toFixed(1)} µs CPU/req\n`,
        );
      }
    }

    const summary = new Map(
      [...results].map(([name, runs]) => [
        name,
        {
          rps: median(runs.map((run) => run.requestsPerSec)),
          p99: median(runs.map((run) => run.p99Ms)),
          cpu: median(runs.map((run) => run.cpuMicrosPerRequest)),
          errors: runs.map((run) => run.errors).filter(Boolean),
        },
      ]),
    );
    const ours = summary.get('lb-balancer')!;
    const lines: string[] = [];
    lines.push(
      `Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os
        .loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')} at the end.`,
    );
    lines.push(
      `wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}s, keep-alive, GET /test.jpg; median of ${ROUNDS} interleaved rounds.`,
    );
    lines.push('');
    lines.push(
      '| server | redirects/s | p99 latency | CPU per redirect | balancer ÷ server (redirects/s) | server ÷ balancer (CPU per redirect) |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const [name, result] of summary) {
      const ratio = name === 'lb-balancer' ? '—' : `${(ours.rps / result.rps).toFixed(2)}×`;
      const cpuRatio = name === 'lb-balancer' ? '—' : `${(result.cpu / ours.cpu).toFixed(2)}×`;
      lines.push(
        `| ${name} | ${result.rps.toFixed(0)} | ${result.p99.toFixed(2)} ms | ${result.cpu.toFixed(1)} µs | ${ratio} | ${cpuRatio} |`,
      );
    }
    for (const [name, result] of summary) {
      if (result.errors.length > 0) lines.push(`\n${name}: ${result.errors.join(' / ')}`);
    }

    // RSS over 1,000,000 redirects, in wrk runs of a few seconds.
    const pid = balancer.process.pid;
    const samples: Array<[string, number, number]> = [['start', 0, await rssKiB(pid)]];
    let total = 0;
    let middleTaken = false;
    while (total < RSS_REQUESTS) {
      total += wrk(balancer.url, 3).requests;
      if (!middleTaken && total >= RSS_REQUESTS / 2) {
        samples.push(['middle', total, await rssKiB(pid)]);
        middleTaken = true;
      }
    }
    samples.push(['end', total, await rssKiB(pid)]);
    lines.push('');
    lines.push(`Balancer RSS over ${total.toLocaleString('en-US')} redirects:`);
    lines.push('');
    lines.push('| when | redirects so far | RSS |');
    lines.push('|---|---:|---:|');
    for (const [when, count, kib] of samples) {
      lines.push(`| ${when} | ${count.toLocaleString('en-US')} | ${(kib / 1024).toFixed(1)} MiB |`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stopAllApps();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  killAllNow();
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
