/**
 * Ctrl-C (and kill) in the middle of the demo: it must stop every program it started, remove its
 * temp dir, say where it was interrupted, and exit 128 + the signal number.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exists, startDemo, startedPids, tempDirOf } from './demo-process.js';

function expectNothingLeft(stdout: string): void {
  const pids = startedPids(stdout);
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) {
    expect(exists(pid), `pid ${pid}`).toBe(false);
    expect(exists(-pid), `process group ${pid}`).toBe(false);
  }
  const tempDir = tempDirOf(stdout);
  expect(stdout.split('\n')).toContain(`   removed ${tempDir}`);
  expect(existsSync(tempDir)).toBe(false);
}

describe('stopping the demo', () => {
  it('Ctrl-C while the balancer tests the servers: exit 130, nothing left', {
    timeout: 90_000,
  }, async () => {
    const demo = startDemo();
    await demo.lineMatching(/^ {3}demo {5}\| started lb-balancer /);
    // A terminal sends SIGINT to the foreground process group: the demo's (its children have their own).
    process.kill(-demo.child.pid!, 'SIGINT');
    const exit = await demo.exited;
    expect(exit).toEqual({ code: 130, signal: null });
    expect(demo.stderr()).toContain('== interrupted by SIGINT during 3/6 start the balancer\n');
    expect(demo.stdout()).not.toContain('== summary');
    expect(demo.stdout()).toMatch(/^ {3}stopped lb-balancer \(pid \d+\): it /m);
    expect(demo.stdout()).toMatch(/^ {3}stopped lb-server \(pid \d+\): it /m);
    expectNothingLeft(demo.stdout());
  });

  it('two SIGTERMs during the first download (pnpm forwarding one): exit 143, nothing left', {
    timeout: 90_000,
  }, async () => {
    const demo = startDemo();
    await demo.lineMatching(/^ {3}demo {5}\| started lb-client http:/);
    demo.child.kill('SIGTERM');
    demo.child.kill('SIGTERM');
    const exit = await demo.exited;
    expect(exit).toEqual({ code: 143, signal: null });
    expect(demo.stderr()).toContain(
      '== interrupted by SIGTERM during 4/6 download through the balancer\n',
    );
    expect(startedPids(demo.stdout())).toHaveLength(3);
    expectNothingLeft(demo.stdout());
  });
});
