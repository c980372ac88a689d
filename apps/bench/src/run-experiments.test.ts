import { describe, expect, it } from 'vitest';
import { routingFixture } from '../test/evaluation-fixture.js';
import { resolveBenchOptions } from './bench-options.js';
import type { Reporter } from './progress-reporter.js';
import { runExperiments } from './run-experiments.js';

function recordingReporter(): Reporter & { notes: string[] } {
  const notes: string[] = [];
  return {
    notes,
    note: (message) => notes.push(message),
    bar: () => ({ increment() {}, stop() {} }),
  };
}

describe('runExperiments', () => {
  it('records a failed experiment with its reason and still runs the next ones', async () => {
    const reporter = recordingReporter();
    const ran: string[] = [];
    const outcomes = await runExperiments(
      resolveBenchOptions({ only: ['routing', 'simulator', 'failover'] }),
      reporter,
      {},
      {
        routing: async () => {
          ran.push('routing');
          throw new Error('lb-balancer exited before it was ready');
        },
        simulator: async (_context, earlier) => {
          ran.push('simulator');
          expect(earlier.routing?.status).toBe('failed');
          throw new Error('needs the routing results');
        },
        failover: async (context) => {
          ran.push('failover');
          context.problems.push('A-3: replacement took 1200 ms (target < 1 s)');
          return undefined as never;
        },
      },
    );
    expect(ran).toEqual(['routing', 'simulator', 'failover']);
    expect(outcomes.routing).toMatchObject({
      status: 'failed',
      error: 'lb-balancer exited before it was ready',
    });
    expect(outcomes.simulator).toMatchObject({
      status: 'failed',
      error: 'needs the routing results',
    });
    expect(outcomes.failover).toMatchObject({
      status: 'failed',
      problems: ['A-3: replacement took 1200 ms (target < 1 s)'],
    });
    expect(outcomes.hashing).toBeUndefined();
    expect(reporter.notes.filter((note) => note.includes('FAILED'))).toHaveLength(3);
  });

  it('keeps earlier outcomes of experiments it does not run and hands them to later ones', async () => {
    const earlier = {
      routing: {
        status: 'ok' as const,
        result: routingFixture,
        problems: [],
        seconds: 1,
        generatedAt: 'x',
        mode: 'full' as const,
      },
    };
    const outcomes = await runExperiments(
      resolveBenchOptions({ only: ['simulator'], quick: true }),
      recordingReporter(),
      earlier,
      {
        simulator: async (_context, seen) => ({
          overheadMs: seen.routing?.result?.bestRegion === 'A' ? 1 : 0,
          machines: [],
          fileSizeBytes: 1,
          runs: [],
          measured: [],
        }),
      },
    );
    expect(outcomes.routing).toBe(earlier.routing);
    expect(outcomes.simulator).toMatchObject({
      status: 'ok',
      mode: 'quick',
      result: { overheadMs: 1 },
    });
  });
});
