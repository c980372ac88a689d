import { describe, expect, it } from 'vitest';
import { balancerAddresses, balancerArgs, configFileText } from './balancer-process.js';
import { parseRequestLogLine } from './single-server.js';
import { virtualServerArgs } from './virtual-server-cluster.js';

describe('virtualServerArgs', () => {
  it('gives one port, latency and rate per server', () => {
    expect(
      virtualServerArgs('/tmp/f.bin', [
        { latencyMs: 10, rate: '4M' },
        { latencyMs: 60, rate: '2M' },
      ]),
    ).toEqual([
      '-i',
      '3600',
      '-n',
      '2',
      '-f',
      '/tmp/f.bin',
      '-p',
      '0',
      '0',
      '--latency',
      '10',
      '60',
      '--log-level',
      'warn',
      '--rate',
      '4M',
      '2M',
    ]);
  });

  it('leaves --rate out when no server has one, and refuses a partial list', () => {
    expect(virtualServerArgs('f', [{ latencyMs: 0 }])).not.toContain('--rate');
    expect(() => virtualServerArgs('f', [{ latencyMs: 0, rate: '1M' }, { latencyMs: 0 }])).toThrow(
      /every server or for none/,
    );
    expect(() => virtualServerArgs('f', [])).toThrow(RangeError);
  });
});

describe('balancer launch', () => {
  it('writes config lines with weight and region', () => {
    expect(
      configFileText([
        { address: '127.0.0.1:1', region: 'A' },
        { address: '127.0.0.1:2', weight: 2 },
      ]),
    ).toBe('127.0.0.1:1 region=A\n127.0.0.1:2 weight=2\n');
  });

  it('maps a launch to flags', () => {
    const args = balancerArgs(
      {
        servers: [],
        strategy: 'consistent-hash',
        strategyOptions: { vnodes: 20, hash: 'fnv1a' },
        seed: 7,
        probePath: '/p.bin',
        probeIntervalSeconds: 2,
        spawn: { count: 3, root: '/srv' },
      },
      undefined,
    );
    expect(args.join(' ')).toBe(
      '--port 0 --admin-port 0 --strategy consistent-hash --probe-path /p.bin --probe-interval 2 ' +
        '--log-level warn --strategy-opt vnodes=20 --strategy-opt hash=fnv1a --seed 7 --spawn 3 --root /srv',
    );
  });

  it('is ready only once both the client and the admin address are known', () => {
    const event = { event: 'listening', url: 'http://127.0.0.1:4000', adminUrl: null } as const;
    expect(balancerAddresses(event)).toBeUndefined();
    expect(balancerAddresses({ ...event, adminUrl: 'http://127.0.0.1:4001' })).toEqual({
      client: { host: '127.0.0.1', port: 4000 },
      admin: { host: '127.0.0.1', port: 4001 },
    });
  });
});

describe('output lines', () => {
  it('picks request lines out of the pino log', () => {
    expect(
      parseRequestLogLine(
        '{"level":30,"server":"h1","method":"GET","path":"/keys/k1.txt","status":200,"msg":"request"}',
      ),
    ).toEqual({ path: '/keys/k1.txt', status: 200 });
    expect(parseRequestLogLine('{"level":30,"msg":"listening"}')).toBeUndefined();
    expect(parseRequestLogLine('{"msg":"request", broken')).toBeUndefined();
  });
});
