import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, serverExamples } from './cli.js';
import { UsageError } from './errors.js';

async function configOf(argv: string[]) {
  const config = await parseCommandLine(argv, { stdout: process.stdout, cwd: '/srv/cwd' });
  if (config === null) throw new Error('--help');
  return config;
}

async function usageErrorOf(argv: string[]): Promise<string> {
  try {
    await configOf(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('single-server mode', () => {
  it('defaults: cwd, any free port, loopback, id 1, index on, info logs', async () => {
    expect(await configOf([])).toEqual({
      mode: 'single',
      root: '/srv/cwd',
      port: 0,
      host: '127.0.0.1',
      id: '1',
      directoryIndex: true,
      logLevel: 'info',
      json: false,
      headerTimeoutMs: 10_000,
      idleTimeoutMs: 15_000,
      sendTimeoutMs: 60_000,
      maxConnections: 1024,
      shutdownGraceMs: 5000,
      aids: {
        rateBytesPerSecond: undefined,
        latencyMs: 0,
        failAfterBytes: undefined,
        corrupt: false,
      },
    });
  });

  it('drops the leading -- that `pnpm start -- …` passes through', async () => {
    expect(await configOf(['--', '--root', '/data'])).toMatchObject({ root: '/data' });
  });

  it('maps every flag', async () => {
    const config = await configOf([
      '--root',
      '/data',
      '--port',
      '8080',
      '--host',
      '0.0.0.0',
      '--id',
      'eu-1',
      '--rate',
      '4M',
      '--latency',
      '50',
      '--fail-after',
      '1K',
      '--corrupt',
      '--no-index',
      '--log-level',
      'debug',
      '--header-timeout',
      '0.2',
      '--max-connections',
      '3',
      '--idle-timeout',
      '.3',
      '--send-timeout',
      '4',
      '--shutdown-grace',
      '0',
      '--json',
    ]);
    expect(config).toMatchObject({
      mode: 'single',
      root: '/data',
      port: 8080,
      host: '0.0.0.0',
      id: 'eu-1',
      directoryIndex: false,
      logLevel: 'debug',
      json: true,
      headerTimeoutMs: 200,
      maxConnections: 3,
      idleTimeoutMs: 300,
      sendTimeoutMs: 4000,
      shutdownGraceMs: 0,
      aids: {
        rateBytesPerSecond: 4 * 1024 ** 2,
        latencyMs: 50,
        failAfterBytes: 1024,
        corrupt: true,
      },
    });
  });

  it.each([
    [['--port', 'http'], 'port "http" is not a whole number from 0 to 65535'],
    [['--port', '65536'], 'port "65536" is not a whole number from 0 to 65535'],
    [['--port', '1', '2'], '--port takes one port for a single server, got 2'],
    [['--rate', 'fast'], '--rate "fast" is not a rate in bytes per second greater than 0'],
    [['--rate', '0'], '--rate "0" is not a rate in bytes per second greater than 0'],
    [['--rate', '1M', '2M'], '--rate takes one value, got 2'],
    [['--latency', '-5'], '--latency must be a whole number of milliseconds, got "-5"'],
    [['--fail-after', 'x'], '--fail-after "x" is not a byte count'],
    [['--corrupt', '2'], '--corrupt takes no value for a single server'],
    [
      ['--header-timeout', '0'],
      '--header-timeout must be a number of seconds above 0, at most 86400 (e.g. 0.5), got "0"',
    ],
    [
      ['--idle-timeout', '-1'],
      '--idle-timeout must be a number of seconds above 0, at most 86400 (e.g. 0.5), got "-1"',
    ],
    [
      ['--send-timeout', 'NaN'],
      '--send-timeout must be a number of seconds above 0, at most 86400 (e.g. 0.5), got "NaN"',
    ],
    [
      ['--send-timeout', '86401'],
      '--send-timeout must be a number of seconds above 0, at most 86400 (e.g. 0.5), got "86401"',
    ],
    [
      ['--shutdown-grace', '-0.5'],
      '--shutdown-grace must be a number of seconds from 0 to 86400 (e.g. 0.5), got "-0.5"',
    ],
    [
      ['--shutdown-grace', '5s'],
      '--shutdown-grace must be a number of seconds from 0 to 86400 (e.g. 0.5), got "5s"',
    ],
    [['--max-connections', 'many'], '--max-connections must be a whole number of connections'],
    [['--log-level', 'loud'], 'Invalid values:'],
    [['--bogus'], 'Unknown argument: bogus'],
    [['stray'], 'Unknown argument: stray'],
    [['--root', 'x', '--', 'stray'], 'unexpected argument "stray"'],
  ])('%j → %s', async (argv, message) => {
    expect(await usageErrorOf(argv)).toContain(message);
  });
});

describe('durations', () => {
  it('are seconds with decimals; a tiny positive one stays above 0 ms', async () => {
    expect(
      await configOf(['--header-timeout', '0.0001', '--shutdown-grace', '1.25']),
    ).toMatchObject({ headerTimeoutMs: 1, shutdownGraceMs: 1250 });
  });
});

describe('--help, --version and the examples', () => {
  async function printed(argv: string[]): Promise<string> {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk) => {
      text += chunk;
    });
    expect(await parseCommandLine(argv, { stdout, cwd: '/srv/cwd' })).toBeNull();
    return text;
  }

  it('-V and --version print the package version', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(await printed(['-V'])).toBe(`${version}\n`);
    expect(await printed(['--version'])).toBe(`${version}\n`);
  });

  it('-h prints both usage lines, every flag and every example', async () => {
    const help = await printed(['-h']);
    expect(help).toContain('lb-server [--root DIR] [--port N] [--host H] [--id ID] [options]');
    expect(help).toContain('lb-server -i <status_interval> -n <num_servers> -f <file_location>');
    for (const flag of ['--json', '--log-level', '--header-timeout', '--version', '--help']) {
      expect(help).toContain(flag);
    }
    expect(help).toMatch(
      /--latency +Testing aid: delay before each response head, in MILLISECONDS/,
    );
    for (const [meaning, command] of serverExamples) {
      expect(help).toContain(`  # ${meaning}\n  ${command}\n`);
    }
  });

  it.each(serverExamples.map(([, command]) => [command]))('example parses: %s', async (command) => {
    const argv = command.split(' ').slice(1);
    expect(await configOf(argv)).toMatchObject({
      mode: argv.includes('-i') ? 'virtual' : 'single',
    });
  });
});

describe('virtual-servers mode', () => {
  const base = ['-i', '2', '-n', '4', '-f', '/tmp/x.bin', '-p', '8001', '8002', '8003', '8004'];

  it('maps the four flags, with warn logs and per-server aids', async () => {
    const config = await configOf([
      ...base,
      '--rate',
      '2M',
      '4M',
      '8M',
      '16M',
      '--corrupt',
      '2',
      '4',
    ]);
    expect(config).toMatchObject({
      mode: 'virtual',
      statusIntervalMs: 2000,
      file: '/tmp/x.bin',
      ports: [8001, 8002, 8003, 8004],
      logLevel: 'warn',
    });
    expect(config.mode === 'virtual' && config.aids.map((aids) => aids.rateBytesPerSecond)).toEqual(
      [2, 4, 8, 16].map((m) => m * 1024 ** 2),
    );
    expect(config.mode === 'virtual' && config.aids.map((aids) => aids.corrupt)).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('applies a single aid value to every server, and --corrupt alone to all', async () => {
    const config = await configOf([...base, '--latency', '20', '--corrupt']);
    expect(config.mode === 'virtual' && config.aids).toEqual(
      new Array(4).fill({
        rateBytesPerSecond: undefined,
        latencyMs: 20,
        failAfterBytes: undefined,
        corrupt: true,
      }),
    );
  });

  it('accepts long names and fractional intervals', async () => {
    const config = await configOf([
      '--status-interval',
      '0.5',
      '--num-servers',
      '1',
      '--file',
      'f',
      '--port',
      '0',
    ]);
    expect(config).toMatchObject({ mode: 'virtual', statusIntervalMs: 500, ports: [0] });
  });

  it('lets port 0 repeat (each listener gets its own free port)', async () => {
    const config = await configOf(['-i', '1', '-n', '2', '-f', 'f', '-p', '0', '0']);
    expect(config).toMatchObject({ ports: [0, 0] });
  });

  it.each([
    [
      ['-i', '2', '-n', '4', '-f', 'f'],
      'virtual servers need all of -i, -n, -f and -p; missing -p',
    ],
    [['-n', '2', '-p', '1', '2'], 'virtual servers need all of -i, -n, -f and -p; missing -i, -f'],
    [['-f', 'f'], 'missing -i, -n, -p'],
    [
      ['-i', '2', '-n', '4', '-f', 'f', '-p', '1', '2', '3'],
      '-p needs exactly 4 ports (one per server, -n 4), got 3',
    ],
    [
      ['-i', '2', '-n', '1', '-f', 'f', '-p', '1', '2'],
      '-p needs exactly 1 port (one per server, -n 1), got 2',
    ],
    [
      ['-i', 'soon', '-n', '1', '-f', 'f', '-p', '1'],
      '-i (status interval) must be a number of seconds greater than 0, got "soon"',
    ],
    [
      ['-i', '0', '-n', '1', '-f', 'f', '-p', '1'],
      '-i (status interval) must be a number of seconds greater than 0, got "0"',
    ],
    [
      ['-i', '1', '-n', 'four', '-f', 'f', '-p', '1'],
      '-n (number of servers) must be a whole number from 1 to 256, got "four"',
    ],
    [
      ['-i', '1', '-n', '0', '-f', 'f', '-p', '1'],
      '-n (number of servers) must be a whole number from 1 to 256, got "0"',
    ],
    [
      ['-i', '1', '-n', '2', '-f', 'f', '-p', '80a', '81'],
      'port "80a" is not a whole number from 0 to 65535',
    ],
    [['-i', '1', '-n', '2', '-f', 'f', '-p', '8001', '8001'], 'port 8001 is given twice in -p'],
    [[...base, '--rate', '1M', '2M'], '--rate takes 1 value or one per server (4), got 2'],
    [[...base, '--corrupt', '5'], '--corrupt takes server numbers from 1 to 4, got "5"'],
    [[...base, '--root', '/x'], '--root does not apply to virtual servers'],
    [[...base, '--id', 'x'], '--id does not apply to virtual servers'],
  ])('%j → %s', async (argv, message) => {
    expect(await usageErrorOf(argv)).toContain(message);
  });
});
