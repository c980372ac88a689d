/**
 * Benchmark of lb-server against nginx and a node:http baseline, in the same run, on loopback:
 *   - throughput: a 10 MiB file, wrk with 8 connections (GiB/s);
 *   - request rate: a 1 KiB file, wrk with 64 connections (requests/s);
 *   - memory: lb-server's peak RSS while 8 curl clients each download a 1 GiB file.
 * The three servers are measured in rotating order over several rounds and the median is kept,
 * because the machine is shared. Results go to stdout as Markdown (copied to
 * docs/benchmarks/server.md by hand, with the machine and the date).
 *
 * Usage: pnpm --filter @lb/server bench [-- --seconds 10 --rounds 3 --no-build]
 * Needs wrk, nginx and curl on PATH; prints why and exits 0 when one is missing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  type RunningApp,
  spawnApp,
  startApp,
  startServer,
  stopAllApps,
} from '@lb/test-kit';

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const SECONDS = option('seconds', 10);
const ROUNDS = option('rounds', 3);
const BUILD = !args.includes('--no-build');

function has(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

for (const program of ['wrk', 'nginx', 'curl']) {
  if (!has(program)) {
    console.log(`${program} is not installed: skipping the server benchmark.`);
    process.exit(0);
  }
}

interface Running {
  name: string;
  port: number;
  pid: number;
}

/** A server the test kit started and saw listening (its --json listening event). */
function running(name: string, app: RunningApp): Running {
  return { name, port: app.port, pid: app.process.pid };
}

/** Starts nginx (no listening event to read) and waits until it answers HTTP requests. */
async function launchNginx(nginxDir: string, port: number): Promise<Running> {
  const nginx = spawnApp({
    command: 'nginx',
    args: ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf')],
    label: 'nginx',
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/small.bin`);
      await response.arrayBuffer();
      if (response.ok) return { name: 'nginx', port, pid: nginx.pid };
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('nginx did not start');
}

async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of /proc/pid/stat (11th and 12th after the name).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface WrkResult {
  requestsPerSecond: number;
  bytesPerSecond: number;
  cpuPerRequestUs: number;
}

async function wrk(
  server: Running,
  path: string,
  connections: number,
  size: number,
): Promise<WrkResult> {
  const cpuBefore = await cpuSeconds(server.pid);
  const output = execFileSync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${SECONDS}s`, `http://127.0.0.1:${server.port}${path}`],
    { encoding: 'utf8' },
  );
  const cpu = (await cpuSeconds(server.pid)) - cpuBefore;
  const requests = Number(/(\d+) requests in/.exec(output)![1]);
  const seconds = Number(/requests in ([\d.]+)s/.exec(output)![1]);
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(output);
  if (errors) console.error(`${server.name} ${path}: ${errors[0]}`);
  return {
    requestsPerSecond: requests / seconds,
    bytesPerSecond: (requests * size) / seconds,
    cpuPerRequestUs: (cpu * 1e6) / requests,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]);
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'lb-server-bench-'));
  try {
    if (BUILD)
      // The server and the libraries it depends on (`...`), in dependency order.
      execFileSync('pnpm', ['--filter', '@lb/server...', 'build'], {
        cwd: APP_DIR,
        stdio: 'ignore',
      });
    const root = join(work, 'root');
    await mkdir(root);
    await writeFile(join(root, 'big.bin'), randomBytes(10 * MiB));
    await writeFile(join(root, 'small.bin'), randomBytes(1024));

    const nginxDir = join(work, 'nginx');
    await mkdir(nginxDir);
    const nginxPort = await freePort();
    await writeFile(
      join(nginxDir, 'nginx.conf'),
      `daemon off;
master_process off;
worker_processes 1;
error_log ${nginxDir}/error.log;
pid ${nginxDir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${nginxDir}/body;
  proxy_temp_path ${nginxDir}/proxy;
  fastcgi_temp_path ${nginxDir}/fastcgi;
  uwsgi_temp_path ${nginxDir}/uwsgi;
  scgi_temp_path ${nginxDir}/scgi;
  default_type application/octet-stream;
  server { listen 127.0.0.1:${nginxPort}; root ${root}; }
}
`,
    );

    const servers = [
      running(
        'lb-server',
        await startServer(
          ['--root', root, '--port', '0', '--log-level', 'warn', '--max-connections', '4096'],
          { build: 'dist' },
        ),
      ),
      await launchNginx(nginxDir, nginxPort),
      running(
        'node:http baseline',
        await startApp({
          args: ['--import', 'tsx', 'bench/node-http-baseline.ts', root, '0'],
          cwd: APP_DIR,
          label: 'node:http baseline',
        }),
      ),
    ];
    // Let lb-server finish hashing its files before it is measured.
    await (
      await fetch(`http://127.0.0.1:${servers[0]!.port}/.lb/fragment-map/big.bin`)
    ).arrayBuffer();

    const big: Record<string, WrkResult[]> = {};
    const small: Record<string, WrkResult[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no server always runs first (or last) in a round.
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      for (const server of order) {
        const bigRuns = big[server.name] ?? [];
        const smallRuns = small[server.name] ?? [];
        big[server.name] = bigRuns;
        small[server.name] = smallRuns;
        bigRuns.push(await wrk(server, '/big.bin', 8, 10 * MiB));
        smallRuns.push(await wrk(server, '/small.bin', 64, 1024));
      }
      console.error(`round ${round + 1}/${ROUNDS} done`);
    }

    // Memory: 8 clients each download a 1 GiB file from a fresh lb-server.
    const memoryRoot = join(work, 'memory');
    await mkdir(memoryRoot);
    const huge = await open(join(memoryRoot, 'huge.bin'), 'w');
    await huge.truncate(1024 * MiB);
    await huge.close();
    await writeFile(join(memoryRoot, 'small.bin'), 'x');
    const memoryServer = running(
      'lb-server (memory)',
      await startServer(['--root', memoryRoot, '--port', '0', '--log-level', 'warn'], {
        build: 'dist',
      }),
    );
    const memoryPort = memoryServer.port;
    await (await fetch(`http://127.0.0.1:${memoryPort}/.lb/fragment-map/huge.bin`)).arrayBuffer();
    const idleRss = await rssKiB(memoryServer.pid);
    let peakRss = idleRss;
    const sampler = setInterval(async () => {
      peakRss = Math.max(peakRss, await rssKiB(memoryServer.pid).catch(() => 0));
    }, 50);
    const started = performance.now();
    await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<void>((resolve, reject) => {
            const curl = spawn('curl', [
              '-sf',
              '-o',
              '/dev/null',
              `http://127.0.0.1:${memoryPort}/huge.bin`,
            ]);
            curl.on('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`curl exited ${code}`)),
            );
          }),
      ),
    );
    const memorySeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);

    const names = servers.map((server) => server.name);
    const nginxBig = median(big['nginx']!.map((r) => r.bytesPerSecond));
    const nginxSmall = median(small['nginx']!.map((r) => r.requestsPerSecond));
    const lines = [
      `wrk -t1, ${SECONDS} s per run, ${ROUNDS} rounds in rotating order, medians; ${new Date().toISOString()}`,
      '',
      '| server | 10 MiB, 8 conns (GiB/s) | × nginx | CPU µs per 10 MiB | 1 KiB, 64 conns (req/s) | × nginx | CPU µs per request |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...names.map((name) => {
        const b = median(big[name]!.map((r) => r.bytesPerSecond));
        const s = median(small[name]!.map((r) => r.requestsPerSecond));
        return `| ${name} | ${(b / 1024 ** 3).toFixed(2)} | ${(b / nginxBig).toFixed(2)} | ${median(big[name]!.map((r) => r.cpuPerRequestUs)).toFixed(0)} | ${s.toFixed(0)} | ${(s / nginxSmall).toFixed(2)} | ${median(small[name]!.map((r) => r.cpuPerRequestUs)).toFixed(1)} |`;
      }),
      '',
      'Every run (GiB/s on 10 MiB; req/s on 1 KiB):',
      ...names.map(
        (name) =>
          `- ${name}: ${big[name]!.map((r) => (r.bytesPerSecond / 1024 ** 3).toFixed(2)).join(', ')}; ${small[name]!.map((r) => r.requestsPerSecond.toFixed(0)).join(', ')}`,
      ),
      '',
      `Memory: 8 × curl downloading a 1 GiB file took ${memorySeconds.toFixed(1)} s; lb-server RSS ${(idleRss / 1024).toFixed(1)} MiB idle, ${(peakRss / 1024).toFixed(1)} MiB peak (sampled every 50 ms from /proc/<pid>/status).`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await stopAllApps();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
