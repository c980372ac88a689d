/**
 * The lb-balancer bin as a user runs it: exit codes and messages for bad config files and flags,
 * no live server, a busy port, --list-strategies, and a graceful stop on SIGINT/SIGTERM that still
 * answers a request in flight.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listStrategies } from '@lb/ranking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import {
  BALANCER_TEST_ARGS,
  freePort,
  type LbServer,
  runBalancer,
  startBalancer,
  startLbServer,
  useRoot,
} from './processes.js';

/** stderr without the JSON log lines: what a person reads. */
function messages(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
}

let dir: string;
const root = useRoot({}, 4 * 1024);
let server: LbServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-cli-process-'));
  server = await startLbServer(root.dir);
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('config file errors', () => {
  it.each([
    ['127.0.0.1:8081\n\n127.0.0.1:99999\n', 'balancer.conf:3: invalid port "99999"'],
    ['# x\n127.0.0.1\n', 'balancer.conf:2: missing port in "127.0.0.1"'],
    [
      '127.0.0.1:8081 weight=heavy\n',
      'balancer.conf:1: invalid weight "heavy" (a number above 0, at most 1000000)',
    ],
    [
      '127.0.0.1:8081\n127.0.0.1:8081\n',
      'balancer.conf:2: duplicate server "127.0.0.1:8081" (first on line 1)',
    ],
  ])('%j → exit 2 with %s', async (text, message) => {
    await writeFile(join(dir, 'balancer.conf'), text);
    const result = await runBalancer(['--config', 'balancer.conf'], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`lb-balancer: ${message}`);
    expect(result.stdout).toBe('');
  });

  it('names a missing config file', async () => {
    const result = await runBalancer(['--config', 'nowhere.conf'], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('lb-balancer: nowhere.conf: cannot read: ENOENT');
  });
});

describe('flag errors', () => {
  it.each([
    [['--port', 'x'], 'lb-balancer: --port: not a number'],
    [['--bogus'], 'lb-balancer: Unknown argument: bogus'],
    [
      ['--strategy-opt', 'nope=1', server?.id ?? '127.0.0.1:1'],
      'lb-balancer: Invalid option "nope" ("1"): unknown option for strategy "rank-weighted"',
    ],
  ])('%j → exit 2', async (argv, firstLine) => {
    const result = await runBalancer(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toContain(firstLine);
  });

  it('prints the strategies with their options and exits 0', async () => {
    const result = await runBalancer(['--list-strategies']);
    expect(result.code).toBe(0);
    for (const info of listStrategies()) expect(result.stdout).toContain(`${info.name}`);
  });

  it('prints help and exits 0', async () => {
    const result = await runBalancer(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('lb-balancer [options] host:port ...');
    expect(result.stdout).toContain('Examples:');
  });

  it('-V prints the version and exits 0', async () => {
    const result = await runBalancer(['-V']);
    expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });
});

describe('start-up failures', () => {
  it('exits 3 when no server passes the performance test, naming each one', async () => {
    const port = await freePort();
    const result = await runBalancer([
      `127.0.0.1:${port}`,
      `${server.id}`,
      '--probe-path',
      '/missing.jpg',
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout.split('\n')).toEqual([
      'performance test: GET /missing.jpg from 2 servers',
      'no server passed',
      `left out: 127.0.0.1:${port} (LB_WIRE_CONNECT_FAILED: Connecting to 127.0.0.1:${port} failed: ECONNREFUSED)`,
      `left out: ${server.id} (LB_PROBE_BAD_STATUS: GET /missing.jpg answered 404 Not Found)`,
      '',
    ]);
    expect(messages(result.stderr)[0]).toBe(
      'lb-balancer: no server passed the performance test (2 failed)',
    );
  });

  it('exits 4 when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    const result = await runBalancer(['--port', String(port), server.id]);
    blocker.close();
    expect(result.code).toBe(4);
    expect(messages(result.stderr)[0]).toBe(
      `lb-balancer: cannot listen for clients on 127.0.0.1:${port}: EADDRINUSE`,
    );
  });
});

describe('--json', () => {
  it('prints the ranking and listening events as one JSON object per line', async () => {
    const port = await freePort();
    const balancer = await startBalancer([
      '--json',
      ...BALANCER_TEST_ARGS,
      `127.0.0.1:${port}`,
      server.id,
    ]);
    expect(await balancer.stop()).toBe(0);
    const lines = balancer.stdout;
    expect(lines).toHaveLength(2);
    const ranking = JSON.parse(lines[0]!);
    const [passed] = ranking.servers;
    expect(typeof passed.totalMs).toBe('number');
    expect(typeof passed.bytesPerSec).toBe('number');
    expect(lines[0]).toBe(
      JSON.stringify({
        event: 'ranking',
        probePath: '/test.jpg',
        servers: [
          {
            rank: 1,
            server: server.id,
            totalMs: passed.totalMs,
            bytesPerSec: passed.bytesPerSec,
            share: 1,
          },
        ],
        leftOut: [
          {
            server: `127.0.0.1:${port}`,
            reason: `LB_WIRE_CONNECT_FAILED: Connecting to 127.0.0.1:${port} failed: ECONNREFUSED`,
          },
        ],
      }),
    );
    expect(lines[1]).toBe(
      JSON.stringify({ event: 'listening', url: balancer.url, adminUrl: balancer.adminUrl }),
    );
    expect(balancer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(balancer.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The logs stay on stderr, all of them JSON.
    for (const line of balancer.stderr) expect(JSON.parse(line)).toHaveProperty('level');
  });

  it('no live server: the ranking event names the left-out servers, exit 3', async () => {
    const port = await freePort();
    const result = await runBalancer(['--json', `127.0.0.1:${port}`]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      `${JSON.stringify({
        event: 'ranking',
        probePath: '/test.jpg',
        servers: [],
        leftOut: [
          {
            server: `127.0.0.1:${port}`,
            reason: `LB_WIRE_CONNECT_FAILED: Connecting to 127.0.0.1:${port} failed: ECONNREFUSED`,
          },
        ],
      })}\n`,
    );
  });
});

describe('graceful stop', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: answers the request in flight, then exits 0',
    async (signal) => {
      const balancer = await startBalancer(['--port', '0', '--probe-interval', '3600', server.id]);
      const idle = net.connect({ host: '127.0.0.1', port: balancer.port });
      const busy = net.connect({ host: '127.0.0.1', port: balancer.port });
      await Promise.all(
        [idle, busy].map((socket) => new Promise((resolve) => socket.once('connect', resolve))),
      );
      let busyText = '';
      busy.on('data', (chunk) => {
        busyText += chunk;
      });
      const busyClosed = new Promise((resolve) => busy.once('close', resolve));
      const idleClosed = new Promise((resolve) => idle.once('close', resolve));
      busy.write('GET /in-flight HTTP/1.1\r\nHost: lb\r\n');
      // Give the half request time to reach the balancer (a wait, not a measured claim).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exit = balancer.stop(signal);
      await idleClosed;
      busy.write('\r\n');
      await busyClosed;
      expect(busyText).toMatch(
        /^HTTP\/1\.1 301 Moved Permanently\r\nLocation: http:\/\/[^/]+\/in-flight\r\n/,
      );
      expect(busyText).toContain('\r\nConnection: close\r\n');
      expect(await exit).toBe(0);
    },
  );
});
