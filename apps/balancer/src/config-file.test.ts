import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  mergeServerLists,
  parseConfigText,
  parseServerArguments,
  readConfigFile,
} from './config-file.js';
import { ConfigError, ConfigFileUnreadableError } from './errors.js';

function problemOf(text: string): string {
  try {
    parseConfigText(text, 'balancer.conf');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText', () => {
  it('reads servers, options, comments and blank lines', () => {
    const text = [
      '# mirrors',
      '',
      '127.0.0.1:8081',
      '  127.0.0.1:8082   weight=3 region=eu  # the big one',
      'Mirror.Example.org:80 region=us-east',
      '[::1]:8083 weight=0.5',
      '\t',
    ].join('\n');
    expect(parseConfigText(text, 'balancer.conf')).toEqual([
      {
        id: '127.0.0.1:8081',
        host: '127.0.0.1',
        port: 8081,
        weight: 1,
        region: undefined,
        source: 'balancer.conf:3',
      },
      {
        id: '127.0.0.1:8082',
        host: '127.0.0.1',
        port: 8082,
        weight: 3,
        region: 'eu',
        source: 'balancer.conf:4',
      },
      {
        id: 'mirror.example.org:80',
        host: 'mirror.example.org',
        port: 80,
        weight: 1,
        region: 'us-east',
        source: 'balancer.conf:5',
      },
      {
        id: '[::1]:8083',
        host: '[::1]',
        port: 8083,
        weight: 0.5,
        region: undefined,
        source: 'balancer.conf:6',
      },
    ]);
  });

  it('accepts CRLF line endings and an empty file', () => {
    expect(parseConfigText('a.example:1\r\nb.example:2\r\n', 'f')).toHaveLength(2);
    expect(parseConfigText('', 'f')).toEqual([]);
    expect(parseConfigText('# nothing\n\n', 'f')).toEqual([]);
  });

  it.each([
    ['127.0.0.1:8081\n\n127.0.0.1:99999', 'balancer.conf:3: invalid port "99999"'],
    ['127.0.0.1:0', 'balancer.conf:1: invalid port "0"'],
    ['127.0.0.1:80a', 'balancer.conf:1: invalid port "80a"'],
    ['127.0.0.1:-1', 'balancer.conf:1: invalid port "-1"'],
    ['127.0.0.1', 'balancer.conf:1: missing port in "127.0.0.1"'],
    ['127.0.0.1:', 'balancer.conf:1: missing port in "127.0.0.1:"'],
    ['[::1]', 'balancer.conf:1: missing port in "[::1]"'],
    ['[::1:80', 'balancer.conf:1: invalid address "[::1:80" (unclosed "[")'],
    ['[zz::1]:80', 'balancer.conf:1: invalid host "[zz::1]"'],
    ['::1:80', 'balancer.conf:1: invalid address "::1:80" (write IPv6 hosts as [addr]:port)'],
    ['bad_host:80', 'balancer.conf:1: invalid host "bad_host"'],
    [':80', 'balancer.conf:1: invalid host ""'],
    [
      'http://a:80',
      'balancer.conf:1: invalid address "http://a:80" (write host:port, without a scheme)',
    ],
    ['weight=2 a:80', 'balancer.conf:1: expected host:port before options, got "weight=2"'],
    ['a:80 weight=0', 'balancer.conf:1: invalid weight "0" (a number above 0, at most 1000000)'],
    ['a:80 weight=-1', 'balancer.conf:1: invalid weight "-1" (a number above 0, at most 1000000)'],
    ['a:80 weight=x', 'balancer.conf:1: invalid weight "x" (a number above 0, at most 1000000)'],
    ['a:80 weight=', 'balancer.conf:1: invalid weight "" (a number above 0, at most 1000000)'],
    [
      'a:80 weight=1e3',
      'balancer.conf:1: invalid weight "1e3" (a number above 0, at most 1000000)',
    ],
    ['a:80 weight=1 weight=2', 'balancer.conf:1: weight given twice'],
    ['a:80 region=e/u', 'balancer.conf:1: invalid region "e/u" (1-63 letters, digits, "-" or "_")'],
    ['a:80 region=', 'balancer.conf:1: invalid region "" (1-63 letters, digits, "-" or "_")'],
    ['a:80 region=eu region=us', 'balancer.conf:1: region given twice'],
    [
      'a:80 zone=eu',
      'balancer.conf:1: unknown option "zone" (options are weight=N and region=NAME)',
    ],
    ['a:80 fast', 'balancer.conf:1: unexpected "fast" (options are weight=N and region=NAME)'],
    ['a:80\nb:81\na:80', 'balancer.conf:3: duplicate server "a:80" (first on line 1)'],
    ['A:80\na:80', 'balancer.conf:2: duplicate server "a:80" (first on line 1)'],
    ['a:80\u0000', 'balancer.conf:1: control character in line'],
  ])('rejects %j with %j', (text, message) => {
    expect(problemOf(text)).toBe(message);
  });

  it('carries file, line and problem as fields', () => {
    try {
      parseConfigText('a:1\nb:2\nc:99999', 'conf/x.conf');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'LB_BALANCER_CONFIG',
        file: 'conf/x.conf',
        line: 3,
        problem: 'invalid port "99999"',
      });
    }
  });
});

describe('readConfigFile', () => {
  const dirPromise = mkdtemp(join(tmpdir(), 'lb-config-'));
  afterAll(async () => rm(await dirPromise, { recursive: true, force: true }));

  it('reads a file from disk and names it in errors', async () => {
    const dir = await dirPromise;
    const good = join(dir, 'good.conf');
    await writeFile(good, '127.0.0.1:8081 weight=2\n');
    expect(await readConfigFile(good)).toMatchObject([{ id: '127.0.0.1:8081', weight: 2 }]);
    const bad = join(dir, 'bad.conf');
    await writeFile(bad, '# x\n127.0.0.1:8081\n127.0.0.1:99999\n');
    await expect(readConfigFile(bad)).rejects.toThrow(`${bad}:3: invalid port "99999"`);
  });

  it('reports a missing file or a directory as unreadable', async () => {
    const dir = await dirPromise;
    const missing = join(dir, 'missing.conf');
    const error = await readConfigFile(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigFileUnreadableError);
    expect(error).toMatchObject({ file: missing, message: `${missing}: cannot read: ENOENT` });
    await expect(readConfigFile(dir)).rejects.toMatchObject({
      code: 'LB_BALANCER_CONFIG_UNREADABLE',
      message: `${dir}: cannot read: EISDIR`,
    });
  });
});

describe('positional servers', () => {
  it('parses each argument as one line and names argv positions in errors', () => {
    expect(parseServerArguments(['127.0.0.1:1', '127.0.0.1:2 region=eu'])).toMatchObject([
      { id: '127.0.0.1:1', source: 'argv:1' },
      { id: '127.0.0.1:2', region: 'eu', source: 'argv:2' },
    ]);
    expect(() => parseServerArguments(['127.0.0.1:1', 'nope'])).toThrow(
      'argv:2: missing port in "nope"',
    );
  });

  it('refuses a server given both in the file and as an argument', () => {
    const fromFile = parseConfigText('127.0.0.1:1\n', 'b.conf');
    const fromArgs = parseServerArguments(['127.0.0.1:2', '127.0.0.1:1']);
    expect(() => mergeServerLists(fromFile, fromArgs)).toThrow(
      'argv:2: duplicate server "127.0.0.1:1" (also at b.conf:1)',
    );
    expect(mergeServerLists(fromFile, fromArgs.slice(0, 1))).toHaveLength(2);
  });
});
