/** `lb-server` in single-server mode, as a child process. */
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { CliProcess, isRefused, request, runCliToExit } from './helpers.js';

const root = useTempDir(async (dir) => {
  await writeFile(join(dir, 'a.txt'), 'alpha');
});

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, port: (server.address() as { port: number }).port });
    });
  });
}

describe('single server', () => {
  it('prints the listening line with the bound port, serves, and exits 0 on SIGTERM', async () => {
    const cli = new CliProcess(['--root', root.path, '--port', '0', '--id', 'solo']);
    await cli.waitFor((out) => out.includes('\n'));
    expect(cli.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const [port] = cli.listeningPorts();
    expect(port).toBeGreaterThan(0);
    expect((await request(port!, '/a.txt')).body.toString()).toBe('alpha');
    expect((await request(port!, '/home')).body.toString()).toBe('Hello from Server: solo');
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(await isRefused(port!)).toBe(true);
    // One JSON log line per request on stderr, stdout untouched.
    const lines = cli.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 30,
      server: 'solo',
      method: 'GET',
      path: '/a.txt',
      status: 200,
      bytes: 5,
      msg: 'request',
    });
    expect(typeof lines[0].ms).toBe('number');
  });

  it('serves the current directory by default and exits 0 on SIGINT', async () => {
    const cli = new CliProcess(['--log-level', 'silent']);
    await cli.waitFor((out) => out.includes('\n'));
    const [port] = cli.listeningPorts();
    expect((await request(port!, '/package.json')).status).toBe(200);
    cli.kill('SIGINT');
    expect((await cli.exited).code).toBe(0);
    expect(cli.stderr).toBe('');
  });

  it('--json prints the listening line as a JSON object; logs stay on stderr', async () => {
    const cli = new CliProcess(['--root', root.path, '--json']);
    await cli.waitFor((out) => out.includes('\n'));
    const { url } = JSON.parse(cli.stdout) as { url: string };
    expect(cli.stdout).toBe(`{"event":"listening","url":"${url}"}\n`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await request(Number(new URL(url).port), '/a.txt')).status).toBe(200);
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout).toBe(`{"event":"listening","url":"${url}"}\n`);
    expect(JSON.parse(cli.stderr.trim().split('\n')[0]!)).toMatchObject({ msg: 'request' });
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await runCliToExit(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('lb-server -i <status_interval> -n <num_servers>');
    expect(result.stdout).toContain('--fail-after');
    expect(result.stdout).toContain('Examples:');
  });

  it('-V prints the version and exits 0', async () => {
    const result = await runCliToExit(['-V']);
    expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });
});

describe('bad input', () => {
  // Each case is a real child process; they run side by side to keep the suite quick.
  const cases: Array<[string[], number, string]> = [
    [['--port', 'http'], 2, 'lb-server: port "http" is not a whole number from 0 to 65535\n'],
    [['--nope'], 2, 'lb-server: Unknown argument: nope\n'],
    [
      ['--shutdown-grace', '-1'],
      2,
      'lb-server: --shutdown-grace must be a number of seconds from 0 to 86400 (e.g. 0.5), got "-1"\n',
    ],
    [
      ['--rate', 'fast'],
      2,
      'lb-server: --rate "fast" is not a rate in bytes per second greater than 0 (e.g. 512K, 4M, 1G)\n',
    ],
    [
      ['--root', '/definitely/not/here'],
      2,
      'lb-server: root directory /definitely/not/here does not exist\n',
    ],
    [['--root', '/etc/hostname'], 2, 'lb-server: root /etc/hostname is not a directory\n'],
    [
      ['--host', '203.0.113.7'],
      3,
      'lb-server: cannot listen on 203.0.113.7:0: the address is not available on this machine\n',
    ],
  ];

  it('each bad flag → its exit code and one clear line on stderr, nothing on stdout', async () => {
    const results = await Promise.all(cases.map(([args]) => runCliToExit(args)));
    results.forEach((result, index) => {
      const [args, code, stderr] = cases[index]!;
      expect({ args, code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({
        args,
        code,
        stderr,
        stdout: '',
      });
    });
  });

  it('a busy port → exit 3, naming the port', async () => {
    const { server, port } = await occupyPort();
    try {
      const result = await runCliToExit(['--root', root.path, '--port', String(port)]);
      expect(result.code).toBe(3);
      expect(result.stderr).toBe(
        `lb-server: cannot listen on 127.0.0.1:${port}: the port is already in use\n`,
      );
    } finally {
      server.close();
    }
  });
});
