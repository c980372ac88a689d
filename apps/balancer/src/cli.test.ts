import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listStrategies } from '@lb/ranking';
import { afterAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { balancerExamples, balancerFlags, SAMPLE_ROOT } from './balancer-flags.js';
import { isLoopbackHost } from './balancer-options.js';
import { type Command, exitCodeFor, formatStrategyList, parseCommandLine } from './cli.js';
import {
  ConfigError,
  ListenError,
  NoLiveServerError,
  ReplicaStartError,
  UsageError,
} from './errors.js';

const TOKEN = 'abcdefghijklmnop0123';

async function run(argv: string[], env: Record<string, string> = {}) {
  const command = await parseCommandLine(argv, env);
  if (command.kind !== 'run') throw new Error(`expected run, got ${command.kind}`);
  return command;
}

async function usageError(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const error = await parseCommandLine(argv, env).then(
    (command: Command) => new Error(`no error: ${command.kind}`),
    (caught: unknown) => caught,
  );
  expect(exitCodeFor(error)).toBe(2);
  return (error as Error).message;
}

describe('parseCommandLine', () => {
  it('maps defaults', async () => {
    const { options, embedded, logLevel, json } = await run(['127.0.0.1:8081']);
    expect(embedded).toBe(false);
    expect(logLevel).toBe('info');
    expect(json).toBe(false);
    expect(options).toEqual({
      servers: [
        {
          id: '127.0.0.1:8081',
          host: '127.0.0.1',
          port: 8081,
          weight: 1,
          region: undefined,
          source: 'argv:1',
        },
      ],
      host: '127.0.0.1',
      port: 8080,
      strategy: 'rank-weighted',
      strategyOptions: {},
      seed: undefined,
      probe: {
        path: '/test.jpg',
        intervalMs: 30_000,
        timeoutMs: 10_000,
        samples: 1,
        concurrency: 8,
        rise: 2,
        fall: 1,
        readmit: false,
      },
      idleTimeoutMs: 30_000,
      headerTimeoutMs: 10_000,
      admin: undefined,
      replicas: undefined,
    });
  });

  it('takes --request-timeout as the old name of --header-timeout', async () => {
    const { options } = await run(['--request-timeout', '2.5', 'a.example:1']);
    expect(options.headerTimeoutMs).toBe(2500);
  });

  it('maps every flag', async () => {
    const { options, logLevel, json } = await run([
      '--host',
      '0.0.0.0',
      '-p',
      '0',
      '-s',
      'consistent-hash',
      '--strategy-opt',
      'replicas=50',
      '--seed',
      '7',
      '--probe-path',
      '/big.bin?x=1',
      '--probe-interval',
      '0.5',
      '--probe-timeout',
      '2',
      '--probe-samples',
      '3',
      '--probe-concurrency',
      '2',
      '--readmit',
      '--rise',
      '3',
      '--fall',
      '2',
      '--idle-timeout',
      '120',
      '--header-timeout',
      '2.5',
      '--admin-port',
      '9000',
      '--admin-host',
      '0.0.0.0',
      '--admin-token',
      TOKEN,
      '--spawn',
      '2',
      '--root',
      '/srv/files',
      '--log-level',
      'debug',
      '--json',
      'a.example:1',
      'b.example:2 weight=3',
    ]);
    expect(logLevel).toBe('debug');
    expect(json).toBe(true);
    expect(options).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      strategy: 'consistent-hash',
      strategyOptions: { replicas: '50' },
      seed: 7,
      probe: {
        path: '/big.bin?x=1',
        intervalMs: 500,
        timeoutMs: 2000,
        samples: 3,
        concurrency: 2,
        rise: 3,
        fall: 2,
        readmit: true,
      },
      idleTimeoutMs: 120_000,
      headerTimeoutMs: 2500,
      admin: { host: '0.0.0.0', port: 9000, token: TOKEN },
      replicas: { count: 2, root: '/srv/files' },
    });
    expect(options.servers.map((server) => [server.id, server.weight])).toEqual([
      ['a.example:1', 1],
      ['b.example:2', 3],
    ]);
  });

  it('starts 3 replicas over the sample folder when no server is configured', async () => {
    const { options, embedded } = await run([]);
    expect(embedded).toBe(true);
    expect(options.replicas).toEqual({ count: 3, root: SAMPLE_ROOT });
    expect((await run(['--spawn', '2'])).options.replicas).toEqual({ count: 2, root: SAMPLE_ROOT });
    expect((await run(['--spawn', '2'])).embedded).toBe(false);
  });

  it('ignores the leading -- that `pnpm start -- …` passes on', async () => {
    const { options } = await run(['--', '--port', '0', '127.0.0.1:8081']);
    expect(options.port).toBe(0);
    expect(options.servers.map((server) => server.id)).toEqual(['127.0.0.1:8081']);
  });

  it('reads the admin token from the environment', async () => {
    const { options } = await run(['a:1', '--admin-port', '0'], { LB_BALANCER_ADMIN_TOKEN: TOKEN });
    expect(options.admin?.token).toBe(TOKEN);
  });

  it('prints help, version and the strategy list', async () => {
    const help = await parseCommandLine(['--help']);
    expect(help.kind).toBe('print');
    if (help.kind === 'print') {
      for (const flag of Object.keys(balancerFlags)) expect(help.text).toContain(`--${flag}`);
    }
    expect(await parseCommandLine(['--version'])).toEqual({
      kind: 'print',
      text: packageJson.version,
    });
    expect(await parseCommandLine(['-V'])).toEqual({ kind: 'print', text: packageJson.version });
    expect(await parseCommandLine(['-h'])).toEqual(help);
    const list = await parseCommandLine(['--list-strategies']);
    expect(list.kind).toBe('list-strategies');
  });

  it('help shows a usage line per mode, the log levels and every example', async () => {
    const help = await parseCommandLine(['--help']);
    if (help.kind !== 'print') throw new Error(help.kind);
    for (const line of [
      'lb-balancer [options] host:port ...',
      'lb-balancer [options] --config FILE [host:port ...]',
      'lb-balancer [options] --spawn N [--root DIR] [host:port ...]',
      'lb-balancer --list-strategies',
      'lb-balancer -V | --version',
    ]) {
      expect(help.text).toContain(line);
    }
    expect(help.text).toMatch(/--log-level +Level of the JSON logs on stderr \(default info\)/);
    for (const [meaning, command] of balancerExamples) {
      expect(`${help.text}\n`).toContain(`  # ${meaning}\n  ${command}\n`);
    }
  });

  // From apps/balancer (vitest's cwd), where the example's balancer.conf lives.
  it.each(balancerExamples.map(([, command]) => [command]))(
    'example parses: %s',
    async (command) => {
      const argv = command.split(' ').slice(1);
      expect((await run(argv)).kind).toBe('run');
    },
  );

  it.each([
    [['--port', 'abc'], '--port: not a number'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535, got 70000'],
    [['--port', '1.5'], '--port must be an integer from 0 to 65535, got 1.5'],
    [['--port', '1', '--port', '2'], '--port given more than once'],
    [
      ['--probe-interval', '0'],
      '--probe-interval must be a number of seconds above 0, at most 86400, got 0',
    ],
    [
      ['--probe-interval', '-1'],
      '--probe-interval must be a number of seconds above 0, at most 86400, got -1',
    ],
    [['--probe-timeout', 'x'], '--probe-timeout: not a number'],
    [['--probe-samples', '0'], '--probe-samples must be an integer from 1 to 15, got 0'],
    [['--probe-concurrency', '0'], '--probe-concurrency must be an integer from 1 to 256, got 0'],
    [['--rise', '0'], '--rise must be an integer from 1 to 100, got 0'],
    [['--fall', '2.5'], '--fall must be an integer from 1 to 100, got 2.5'],
    [
      ['--header-timeout', '0'],
      '--header-timeout must be a number of seconds above 0, at most 3600, got 0',
    ],
    [
      ['--request-timeout', '0'],
      '--header-timeout must be a number of seconds above 0, at most 3600, got 0',
    ],
    [
      ['--idle-timeout', '0'],
      '--idle-timeout must be a number of seconds above 0, at most 86400, got 0',
    ],
    [
      ['--probe-path', 'test.jpg'],
      '--probe-path must be a path starting with "/" (visible ASCII, no "#"), got "test.jpg"',
    ],
    [
      ['--probe-path', '/a#b'],
      '--probe-path must be a path starting with "/" (visible ASCII, no "#"), got "/a#b"',
    ],
    [['--seed', '1.5'], '--seed must be an integer, got 1.5'],
    [['--seed', 'x'], '--seed must be an integer, got not a number'],
    [['--strategy-opt', 'novalue'], '--strategy-opt expects key=value, got "novalue"'],
    [['--strategy-opt', '=1'], '--strategy-opt expects key=value, got "=1"'],
    [['--strategy-opt', 'a=1', '--strategy-opt', 'a=2'], '--strategy-opt a given more than once'],
    [['--spawn', '0'], '--spawn must be an integer from 1 to 64, got 0'],
    [['--spawn', '65'], '--spawn must be an integer from 1 to 64, got 65'],
    [['--root', '/x'], '--root needs --spawn'],
    [['--admin-token', TOKEN], '--admin-token needs --admin-port'],
    [['--admin-host', '0.0.0.0'], '--admin-host needs --admin-port'],
    [['--admin-port', '99999'], '--admin-port must be an integer from 0 to 65535, got 99999'],
    [
      ['--admin-port', '0', '--admin-host', '0.0.0.0'],
      'refusing to serve the admin API on 0.0.0.0 without a token: give --admin-token (or LB_BALANCER_ADMIN_TOKEN) or a loopback --admin-host',
    ],
    [
      ['--admin-port', '0', '--admin-token', 'short'],
      '--admin-token must be at least 16 characters',
    ],
    [
      ['--admin-port', '0', '--admin-token', 'has space in it ok ok'],
      '--admin-token may hold only letters, digits and - . _ ~ + / (then = padding)',
    ],
    [['--bogus'], 'Unknown argument: bogus'],
    [['--strategy', 'fastest'], expect.stringContaining('Invalid values:')],
    [['--log-level', 'loud'], expect.stringContaining('Invalid values:')],
    [['nope'], 'argv:1: missing port in "nope"'],
    [['a:1', 'a:1'], 'argv:2: duplicate server "a:1" (also at argv:1)'],
  ])('%j → %s', async (argv, message) => {
    expect(await usageError(argv)).toEqual(message);
  });

  it('checks the token from the environment too', async () => {
    expect(await usageError(['a:1', '--admin-port', '0'], { LB_BALANCER_ADMIN_TOKEN: 'x' })).toBe(
      'LB_BALANCER_ADMIN_TOKEN must be at least 16 characters',
    );
  });
});

describe('config file flag', () => {
  const dir = mkdtemp(join(tmpdir(), 'lb-cli-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('merges the file and the arguments, and reports file errors by line', async () => {
    const file = join(await dir, 'balancer.conf');
    await writeFile(file, '# two\n127.0.0.1:8081 region=eu\n127.0.0.1:8082\n');
    const { options } = await run(['--config', file, '127.0.0.1:8083']);
    expect(options.servers.map((server) => server.id)).toEqual([
      '127.0.0.1:8081',
      '127.0.0.1:8082',
      '127.0.0.1:8083',
    ]);
    await writeFile(file, '127.0.0.1:8081\n\n127.0.0.1:99999\n');
    expect(await usageError(['-c', file])).toBe(`${file}:3: invalid port "99999"`);
    expect(await usageError(['-c', join(await dir, 'missing.conf')])).toBe(
      `${join(await dir, 'missing.conf')}: cannot read: ENOENT`,
    );
  });
});

describe('helpers', () => {
  it('recognises loopback hosts', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      'localhost',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('lists every strategy with its options and defaults', () => {
    const text = formatStrategyList(listStrategies());
    for (const info of listStrategies()) {
      expect(text).toContain(info.name);
      for (const option of info.options) {
        expect(text).toContain(
          `--strategy-opt ${option.name}=<${option.type}>  default ${String(option.default)}`,
        );
      }
    }
  });

  it('maps error codes to exit codes', () => {
    const refused = Object.assign(new Error('refused'), { code: 'EADDRINUSE' });
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new ConfigError('argv', 1, 'x'))).toBe(2);
    expect(exitCodeFor({ code: 'LB_RANKING_INVALID_OPTION' })).toBe(2);
    expect(exitCodeFor(new NoLiveServerError([]))).toBe(3);
    expect(exitCodeFor(new ListenError('clients', '127.0.0.1', 80, refused))).toBe(4);
    expect(exitCodeFor(new ReplicaStartError('x'))).toBe(5);
    expect(exitCodeFor(new Error('x'))).toBe(1);
    expect(exitCodeFor(null)).toBe(1);
  });
});
