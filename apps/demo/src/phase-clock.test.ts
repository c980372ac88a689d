import { describe, expect, it } from 'vitest';
import { PhaseClock } from './phase-clock.js';

function fakeClock(start = 1000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('PhaseClock', () => {
  it('times each phase from its begin to the next begin, in order', () => {
    const time = fakeClock();
    const clock = new PhaseClock(time.now);
    clock.begin('1/6', 'generate');
    time.advance(250);
    clock.begin('2/6', 'start servers');
    time.advance(1500);
    clock.end();
    expect(clock.timings).toEqual([
      { label: '1/6', title: 'generate', ms: 250 },
      { label: '2/6', title: 'start servers', ms: 1500 },
    ]);
  });

  it('names the phase running now, and none after end()', () => {
    const clock = new PhaseClock(fakeClock().now);
    expect(clock.current).toBeUndefined();
    clock.begin('3/6', 'start the balancer');
    expect(clock.current).toEqual({ label: '3/6', title: 'start the balancer' });
    clock.end();
    expect(clock.current).toBeUndefined();
    clock.end();
    expect(clock.timings).toHaveLength(1);
  });

  it('counts the whole run, time between phases included', () => {
    const time = fakeClock();
    const clock = new PhaseClock(time.now);
    time.advance(100);
    clock.begin('1/6', 'generate');
    time.advance(200);
    clock.end();
    time.advance(300);
    expect(clock.elapsedMs).toBe(600);
  });
});
