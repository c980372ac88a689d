/** `lb-server -i -n -f -p`: n virtual servers in one process, driven through stdin. */
import { mkdir, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStatusLine } from '../src/status-report.js';
import {
  CliProcess,
  exchange,
  isRefused,
  makeTempDir,
  removeDir,
  request,
  runCliToExit,
  writeRandomFile,
} from './helpers.js';

let dir: string;
let file: string;
let content: Buffer;

beforeAll(async () => {
  dir = await makeTempDir();
  file = join(dir, 'payload.bin');
  content = await writeRandomFile(file, 4 * 1024 * 1024);
});

afterAll(async () => {
  await removeDir(dir);
});

function statusBlock(ports: number[], dead: number[] = []): string {
  return ports
    .map(
      (port, i) => `${formatStatusLine({ number: i + 1, port, alive: !dead.includes(i + 1) })}\n`,
    )
    .join('');
}

/** A TMPDIR of its own, so the test can see the copies appear and disappear. */
async function freshTmp(): Promise<string> {
  const tmp = join(dir, `tmp-${Math.random().toString(36).slice(2)}`);
  await mkdir(tmp);
  return tmp;
}

/** The servers' copy folders in `tmp` (tsx keeps a cache folder there too). */
async function copyFolders(tmp: string): Promise<string[]> {
  return (await readdir(tmp)).filter((name) => name.startsWith('lb-server-'));
}

/** GET /payload.bin on its own connection, for a test that acts while it is in flight. */
function downloadPayload(port: number) {
  return exchange(port, 'GET /payload.bin HTTP/1.1\r\nHost: x\r\n\r\n', {
    methods: ['GET'],
    timeoutMs: 10_000,
  });
}

describe('virtual servers', () => {
  it('starts n servers, reports their status, and obeys E<k>, S<k>, hints and q', async () => {
    const tmp = await freshTmp();
    const cli = new CliProcess(['-i', '0.4', '-n', '3', '-f', file, '-p', '0', '0', '0'], {
      env: { TMPDIR: tmp },
    });
    await cli.waitFor((out) => out.split('\n').length > 6);
    const ports = cli.listeningPorts();
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
    expect(
      cli.stdout.startsWith(
        ports.map((port) => `listening on http://127.0.0.1:${port}\n`).join('') +
          statusBlock(ports),
      ),
    ).toBe(true);

    // Each serves its own copy at /<basename> and knows its number.
    for (const [i, port] of ports.entries()) {
      expect((await request(port, '/payload.bin')).body.equals(content)).toBe(true);
      expect((await request(port, '/home')).body.toString()).toBe(`Hello from Server: ${i + 1}`);
    }
    expect(await copyFolders(tmp)).toHaveLength(1);

    // The status block repeats every -i seconds.
    await cli.waitFor((out) => out.split(statusBlock(ports)).length >= 3);

    cli.send('E2');
    await cli.waitFor((out) => out.includes('Server 2 shut down.\n'));
    expect(await isRefused(ports[1]!)).toBe(true);
    expect((await request(ports[0]!, '/heartbeat')).status).toBe(200);
    expect((await request(ports[2]!, '/heartbeat')).status).toBe(200);
    await cli.waitFor((out) => out.includes(statusBlock(ports, [2])));

    cli.send('E2');
    await cli.waitFor((out) => out.includes('Server 2 is already dead.\n'));
    cli.send('hello?');
    await cli.waitFor((out) =>
      out.includes(
        'Unknown command "hello?". Enter E<k> to shut down server k, S<k> to start it again (k = 1..3), or q to quit.\n',
      ),
    );
    cli.send('E9');
    await cli.waitFor((out) => out.includes('There is no server 9.'));

    cli.send('S2');
    await cli.waitFor((out) =>
      out.includes(`Server 2 started: listening on http://127.0.0.1:${ports[1]}\n`),
    );
    expect((await request(ports[1]!, '/home')).body.toString()).toBe('Hello from Server: 2');
    const afterRestart = cli.stdout.length;
    await cli.waitFor((out) => out.slice(afterRestart).includes(statusBlock(ports)));

    cli.send('q');
    expect((await cli.exited).code).toBe(0);
    for (const port of ports) expect(await isRefused(port)).toBe(true);
    // The copies are gone.
    expect(await copyFolders(tmp)).toEqual([]);
    expect(cli.stderr).toBe('');
  });

  it('E<k> cuts its in-flight downloads mid-transfer', async () => {
    const cli = new CliProcess(['-i', '60', '-n', '2', '-f', file, '-p', '0', '0', '--rate', '1M']);
    await cli.waitFor((out) => out.includes('Server 2: Port'));
    const [port1] = cli.listeningPorts();
    const download = downloadPayload(port1!);
    await new Promise((resolve) => setTimeout(resolve, 300));
    cli.send('E1');
    const result = await download;
    expect(result.responses).toHaveLength(0);
    expect(result.closed).toBe(true);
    expect(result.partialBody!.length).toBeGreaterThan(0);
    expect(result.partialBody!.length).toBeLessThan(content.length);
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('SIGINT lets an in-flight download finish, refuses new connections, exits 0', async () => {
    const tmp = await freshTmp();
    const cli = new CliProcess(['-i', '60', '-n', '1', '-f', file, '-p', '0', '--rate', '4M'], {
      env: { TMPDIR: tmp },
    });
    await cli.waitFor((out) => out.includes('Server 1: Port'));
    const [port] = cli.listeningPorts();
    const download = downloadPayload(port!);
    await new Promise((resolve) => setTimeout(resolve, 200));
    cli.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await isRefused(port!)).toBe(true);
    const result = await download;
    expect(result.responses[0]!.body.equals(content)).toBe(true);
    expect((await cli.exited).code).toBe(0);
    expect(await copyFolders(tmp)).toEqual([]);
  });

  it('keeps running when stdin is closed', async () => {
    const cli = new CliProcess(['-i', '0.2', '-n', '1', '-f', file, '-p', '0'], {
      stdin: 'ignore',
    });
    await cli.waitFor((out) => out.includes('Server 1: Port'));
    const [port] = cli.listeningPorts();
    await cli.waitFor((out) => out.split('Server 1: Port').length >= 4);
    expect((await request(port!, '/heartbeat')).status).toBe(200);
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });
});

describe('--json', () => {
  it('prints listening, status and reply events as one JSON object per line', async () => {
    const cli = new CliProcess(['-i', '60', '-n', '2', '-f', file, '-p', '0', '0', '--json']);
    await cli.waitFor((out) => out.split('\n').length > 3);
    const events = () =>
      cli.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
    const [first, second] = events() as Array<{ url: string }>;
    const ports = [first, second].map((event) => Number(new URL(event!.url).port));
    expect(cli.stdout).toBe(
      `{"event":"listening","server":1,"url":"http://127.0.0.1:${ports[0]}"}\n` +
        `{"event":"listening","server":2,"url":"http://127.0.0.1:${ports[1]}"}\n` +
        `{"event":"status","servers":[{"server":1,"port":${ports[0]},"status":"alive"},{"server":2,"port":${ports[1]},"status":"alive"}]}\n`,
    );
    cli.send('E2');
    await cli.waitFor((out) => out.includes('shut down'));
    cli.send('q');
    expect((await cli.exited).code).toBe(0);
    expect(events().slice(3)).toEqual([
      { event: 'reply', message: 'Server 2 shut down.' },
      { event: 'reply', message: 'Quitting.' },
    ]);
  });
});

describe('bad input', () => {
  function occupyPort(): Promise<{ server: Server; port: number }> {
    return new Promise((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        resolve({ server, port: (server.address() as { port: number }).port });
      });
    });
  }

  it('each bad flag → exit 2 and one clear line on stderr, nothing on stdout', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['-i', '1', '-n', '3', '-f', file, '-p', '0', '0'],
        '-p needs exactly 3 ports (one per server, -n 3), got 2',
      ],
      [
        ['-i', '1', '-n', '2', '-f', file],
        'virtual servers need all of -i, -n, -f and -p; missing -p',
      ],
      [
        ['-i', 'x', '-n', '1', '-f', file, '-p', '0'],
        '-i (status interval) must be a number of seconds greater than 0, got "x"',
      ],
      [
        ['-i', '1', '-n', 'two', '-f', file, '-p', '0'],
        '-n (number of servers) must be a whole number from 1 to 256, got "two"',
      ],
      [
        ['-i', '1', '-n', '1', '-f', file, '-p', 'eighty'],
        'port "eighty" is not a whole number from 0 to 65535',
      ],
      [
        ['-i', '1', '-n', '1', '-f', '/no/such/file', '-p', '0'],
        'file /no/such/file does not exist',
      ],
    ];
    // Real child processes, side by side to keep the suite quick.
    const results = await Promise.all(cases.map(([args]) => runCliToExit(args)));
    results.forEach((result, index) => {
      const [args, message] = cases[index]!;
      expect({ args, code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({
        args,
        code: 2,
        stderr: `lb-server: ${message}\n`,
        stdout: '',
      });
    });
  });

  it('a busy port → exit 3 naming it, and nothing left listening on the others', async () => {
    const free = await occupyPort();
    const freePort = free.port;
    await new Promise<void>((resolve) => free.server.close(() => resolve()));
    const busy = await occupyPort();
    const tmp = await freshTmp();
    try {
      const result = await runCliToExit(
        ['-i', '1', '-n', '2', '-f', file, '-p', String(freePort), String(busy.port)],
        { TMPDIR: tmp },
      );
      expect(result.code).toBe(3);
      expect(result.stderr).toBe(
        `lb-server: cannot listen on 127.0.0.1:${busy.port}: the port is already in use\n`,
      );
      expect(await isRefused(freePort)).toBe(true);
      expect(await copyFolders(tmp)).toEqual([]);
    } finally {
      busy.server.close();
    }
  });
});
