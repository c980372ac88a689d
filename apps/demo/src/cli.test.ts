import { describe, expect, it } from 'vitest';
import { formatFailure, parseDemoArgs, USAGE } from './cli.js';
import { ChildExitedError, DemoInterruptedError, StepTimeoutError } from './demo-errors.js';
import { DemoPhaseFailure } from './demo-run.js';

describe('parseDemoArgs', () => {
  it('runs with 8 MiB and removes the temp dir by default', () => {
    expect(parseDemoArgs([])).toEqual({ kind: 'run', sizeMiB: 8, keep: false });
  });

  it('takes --size and --keep, and the -- pnpm passes on', () => {
    expect(parseDemoArgs(['--', '--size', '5', '--keep'])).toEqual({
      kind: 'run',
      sizeMiB: 5,
      keep: true,
    });
    expect(parseDemoArgs(['--size=6.5'])).toMatchObject({ sizeMiB: 6.5 });
    expect(parseDemoArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it('refuses a bad size, unknown flags and arguments with a clear message', () => {
    expect(() => parseDemoArgs(['--size', 'big'])).toThrow(
      '--size must be a number of MiB from 1 to 256, got "big"',
    );
    expect(() => parseDemoArgs(['--size', '0'])).toThrow(/from 1 to 256, got "0"/);
    expect(() => parseDemoArgs(['--fast'])).toThrow(/Unknown option '--fast'/);
    expect(() => parseDemoArgs(['now'])).toThrow(/Unexpected argument 'now'/);
  });

  it('documents every flag in the usage', () => {
    for (const flag of ['--size', '--keep', '--help']) expect(USAGE).toContain(flag);
  });
});

describe('formatFailure', () => {
  const balancer = {
    name: 'lb-balancer',
    pid: 4242,
    stderrTail: ['lb-balancer: no server passed the performance test'],
  };

  it('names the phase, what happened and what the child last said on stderr', () => {
    const failure = new DemoPhaseFailure(
      { label: '3/6', title: 'start the balancer' },
      new ChildExitedError(balancer, { code: 3, signal: null }),
    );
    expect(formatFailure(failure)).toEqual([
      '== failed in 3/6 start the balancer',
      '   lb-balancer (pid 4242) exited with code 3',
      '   last lines lb-balancer (pid 4242) wrote to stderr:',
      '     lb-balancer: no server passed the performance test',
    ]);
  });

  it('reports a hung step and a silent child', () => {
    const failure = new DemoPhaseFailure(
      { label: '2/6', title: 'start 4 virtual servers' },
      new StepTimeoutError('lb-server start', 60, {
        ...balancer,
        name: 'lb-server',
        stderrTail: [],
      }),
    );
    expect(formatFailure(failure)).toEqual([
      '== failed in 2/6 start 4 virtual servers',
      '   lb-server start: nothing after 60 s',
      '   lb-server wrote nothing to stderr',
    ]);
  });

  it('reports an interruption as such', () => {
    const failure = new DemoPhaseFailure(
      { label: '5/6', title: 'download from all servers, Server 4 dies' },
      new DemoInterruptedError('SIGINT'),
    );
    expect(formatFailure(failure)).toEqual([
      '== interrupted by SIGINT during 5/6 download from all servers, Server 4 dies',
      '   every program the demo started was stopped and its temp dir removed',
    ]);
  });

  it('adds the stack of an unexpected error (a bug in the demo)', () => {
    const lines = formatFailure(new DemoPhaseFailure(undefined, new TypeError('x is undefined')));
    expect(lines[0]).toBe('== failed');
    expect(lines[1]).toBe('   x is undefined');
    expect(lines[2]).toMatch(/^ {3}TypeError: x is undefined\n/);
  });
});
