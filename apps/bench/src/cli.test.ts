import { createMemoryIo } from '@lb/cli-kit';
import { describe, expect, it } from 'vitest';
import { resolveBenchOptions } from './bench-options.js';
import { describeParameters, main, parseCommandLine } from './cli.js';

describe('parseCommandLine', () => {
  it('maps flags to options, dropping the `--` pnpm passes through', async () => {
    const command = await parseCommandLine([
      '--',
      '--quick',
      '--only',
      'routing',
      'simulator',
      '--requests',
      '50',
      '--rate',
      '1M',
      '--regions',
      'X:1:5',
      'Y:2:50',
    ]);
    expect(command.kind).toBe('run');
    if (command.kind !== 'run') return;
    expect(command.options.quick).toBe(true);
    expect(command.options.experiments).toEqual(['routing', 'simulator']);
    expect(command.options.routing.requests).toBe(50);
    expect(command.options.routing.rates).toEqual(['1M', '1M', '1M']);
    expect(command.options.hashing.requests).toBe(2000);
  });

  it('prints help with every flag group', async () => {
    const command = await parseCommandLine(['--help']);
    expect(command.kind).toBe('print');
    if (command.kind !== 'print') return;
    expect(command.text).toContain('--hash-variants');
    expect(command.text).toContain('Consistent hashing (A-1 … A-4)');
  });

  it('refuses unknown flags, stray arguments and bad values', async () => {
    await expect(parseCommandLine(['--nope'])).rejects.toThrow(/Unknown argument/);
    await expect(parseCommandLine(['routing'])).rejects.toThrow(/Unknown argument: routing/);
    await expect(parseCommandLine(['--requests', 'many'])).rejects.toThrow(/--requests/);
    await expect(parseCommandLine(['--only', 'everything'])).rejects.toThrow(/everything/);
  });
});

describe('main', () => {
  it('exits 2 with the reason on bad flags, running nothing', async () => {
    const io = createMemoryIo();
    const code = await main(['--concurrency', '0'], io);
    expect(code).toBe(2);
    expect(io.stderrText()).toContain('--concurrency must be an integer from 1 to 1024, got 0');
    expect(io.stdoutText()).toBe('');
  });
});

describe('describeParameters', () => {
  it('prints every parameter of the selected experiments', () => {
    const text = describeParameters(resolveBenchOptions({ quick: true }));
    expect(text).toContain('quick run');
    expect(text).toContain('regions A=3×10ms B=2×60ms C=1×150ms; rate 4M');
    expect(text).toContain('400 requests × 7 strategies at concurrency 8');
    expect(text).toContain('variants (hash:vnodes): murmur3:160 fnv1a:160 murmur3:10');
    expect(text).toContain('1 kill(s)');
    expect(describeParameters(resolveBenchOptions({ only: ['failover'] }))).not.toContain(
      'routing:',
    );
  });
});
