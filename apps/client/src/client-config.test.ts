import { describe, expect, it } from 'vitest';
import { parseSeconds, toClientConfig } from './client-config.js';
import { UsageError } from './errors.js';

function usage(flags: Parameters<typeof toClientConfig>[0]): string {
  try {
    toClientConfig(flags);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('toClientConfig', () => {
  it('--connections takes auto (the default) or a fixed count', () => {
    const of = (connections?: string) =>
      (toClientConfig({ urls: ['http://x/'], connections }) as { connectionsPerServer: unknown })
        .connectionsPerServer;
    expect(of(undefined)).toBe('auto');
    expect(of('auto')).toBe('auto');
    expect(of(' 3 ')).toBe(3);
    expect(of('8')).toBe(8);
  });

  it('one URL is mode 1, with defaults', () => {
    expect(toClientConfig({ urls: ['http://h:8080/a/b.iso'] })).toEqual({
      mode: 'url',
      url: 'http://h:8080/a/b.iso',
      multi: false,
      output: undefined,
      resume: false,
      intervalMs: 1000,
      waitMs: 60_000,
      connectionsPerServer: 'auto',
      json: false,
      progress: undefined,
      logLevel: 'warn',
      connectTimeoutMs: 5000,
      stallTimeoutMs: 5000,
      checkpointIntervalMs: 1000,
    });
  });

  it('several URLs are mirrors', () => {
    const config = toClientConfig({ urls: ['http://a/f', 'http://b/f'], output: 'd/' });
    expect(config).toMatchObject({
      mode: 'mirrors',
      urls: ['http://a/f', 'http://b/f'],
      output: 'd/',
    });
  });

  it('-a/-p is mode 2', () => {
    const config = toClientConfig({
      address: '127.0.0.1',
      port: ['8001', 8002],
      interval: '0.5',
      resume: true,
      output: 'out',
      wait: '2.5',
    });
    expect(config).toMatchObject({
      mode: 'servers',
      address: '127.0.0.1',
      ports: [8001, 8002],
      intervalMs: 500,
      resume: true,
      waitMs: 2500,
      file: undefined,
    });
  });

  it.each([
    [{}, 'nothing to download: give a URL, or -a <address> -p <ports...>'],
    [{ urls: ['ftp://h/f'] }, '"ftp://h/f": only http:// URLs are supported'],
    [{ urls: ['not a url'] }, '"not a url" is not a URL (expected http://host:port/path)'],
    [{ urls: ['http://u:p@h/f'] }, '"http://u:p@h/f": credentials in URLs are not supported'],
    [{ urls: ['http://a/f', 'http://a/f'] }, 'the same URL is given twice'],
    [{ port: ['1'] }, '-a <server_ip_address> is required with -p'],
    [{ address: '127.0.0.1' }, '-p <port1> ... <portn> is required with -a'],
    [{ address: 'h', port: ['0'] }, '-p: "0" is not a port (1-65535)'],
    [{ address: 'h', port: ['70000'] }, '-p: "70000" is not a port (1-65535)'],
    [{ address: 'h', port: ['80', '80'] }, '-p: port 80 is given twice'],
    [
      { address: 'h', port: ['80'], urls: ['http://x/'] },
      'give either URLs or -a/-p, not both (got http://x/)',
    ],
    [{ urls: ['http://x/'], file: 'a' }, '--file only applies with -a/-p'],
    [
      { address: 'h', port: ['80'], file: '../etc/passwd' },
      '--file must be a file name on the servers, got "../etc/passwd"',
    ],
    [
      { urls: ['http://x/'], interval: '0' },
      '-i/--interval must be a positive number of seconds, got "0"',
    ],
    [
      { urls: ['http://x/'], interval: 'abc' },
      '-i/--interval must be a positive number of seconds, got "abc"',
    ],
    [{ urls: ['http://x/'], interval: '0.001' }, '-i/--interval must be at least 0.01 seconds'],
    [{ urls: ['http://x/'], wait: '-1' }, '--wait must be a positive number of seconds, got "-1"'],
    [
      { urls: ['http://x/'], connections: '9' },
      '--connections must be auto or an integer from 1 to 8, got "9"',
    ],
    [
      { urls: ['http://x/'], connections: '0' },
      '--connections must be auto or an integer from 1 to 8, got "0"',
    ],
    [
      { urls: ['http://x/'], connections: 'Auto' },
      '--connections must be auto or an integer from 1 to 8, got "Auto"',
    ],
    [
      { urls: ['http://x/'], 'log-level': 'loud' },
      '--log-level must be one of fatal, error, warn, info, debug, trace, silent',
    ],
  ])('%j is refused: %s', (flags, message) => {
    expect(usage(flags as Parameters<typeof toClientConfig>[0])).toBe(message);
  });

  it('parseSeconds accepts decimals and falls back to the default', () => {
    expect(parseSeconds('-i', '.25', 1)).toBe(250);
    expect(parseSeconds('-i', undefined, 1.5)).toBe(1500);
  });
});
