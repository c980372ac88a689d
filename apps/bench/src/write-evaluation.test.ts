import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluationFixture } from '../test/evaluation-fixture.js';
import { svgProblems, svgTexts } from '../test/svg-structure.js';
import { readPreviousResults, writeEvaluation } from './write-evaluation.js';

let outDir: string;
beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'lb-bench-out-'));
});
afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const CHARTS = [
  'hash-a1-requests-per-replica.svg',
  'hash-a2-load-per-replica.svg',
  'hash-a3-failover.svg',
  'hash-a4-balance.svg',
  'hash-a4-distribution.svg',
  'hash-a4-moved-keys.svg',
  'routing-latency-cdf.svg',
  'routing-requests-per-server.svg',
  'simulator-vs-measured.svg',
];

describe('writeEvaluation', () => {
  it('writes every chart as valid SVG, the README and results.json', async () => {
    const written = await writeEvaluation(outDir, evaluationFixture());
    expect(written.problems).toEqual([]);
    expect((await readdir(outDir)).sort()).toEqual([...CHARTS, 'README.md', 'results.json'].sort());
    for (const chart of CHARTS) {
      const svg = await readFile(join(outDir, chart), 'utf8');
      expect(svgProblems(svg.trimEnd()), chart).toEqual([]);
    }
    const cdf = svgTexts(await readFile(join(outDir, 'routing-latency-cdf.svg'), 'utf8'));
    expect(cdf).toEqual(expect.arrayContaining(['uniform-random', 'fixed-machine']));

    const readme = await readFile(join(outDir, 'README.md'), 'utf8');
    for (const heading of [
      '## 1. Routing across regions',
      '### URL shapes',
      '### Why the winners win',
      '### A-1: requests per replica',
      '### A-2: load against the number of replicas',
      '### A-3: admin API and replica failover',
      '### A-4: other hash functions and virtual-node counts',
      '## 3. Simulator beside reality',
    ]) {
      expect(readme).toContain(heading);
    }
    expect(readme).toContain('`/r/<R>/<M>/<path>`');
    for (const chart of CHARTS) expect(readme).toContain(`](${chart})`);
    // The routing table, exactly, from the fixture's records (nearest-rank percentiles).
    expect(readme).toContain(
      '| fixed-machine | `/r/A/1/payload.bin` | 42.5 | 42.0 | 45.0 | 45.0 | 0 | 6 | 0 | 0 |',
    );
    expect(readme).toContain('By mean: fixed-machine (42.5 ms) < uniform-random (74.2 ms).');
    expect(await readPreviousResults(outDir)).toEqual(evaluationFixture());
  });

  it('replaces its own old files and leaves other files alone', async () => {
    await writeFile(join(outDir, 'stale-chart.svg'), '<svg/>');
    await writeFile(join(outDir, 'notes.txt'), 'keep me');
    await writeEvaluation(outDir, evaluationFixture());
    const files = await readdir(outDir);
    expect(files).not.toContain('stale-chart.svg');
    expect(files).toContain('notes.txt');
  });

  it('states a failed experiment with its reasons, and a missing one as not run', async () => {
    const results = evaluationFixture();
    results.experiments.failover = {
      status: 'failed',
      error: 'lb-balancer (--spawn) was not ready within 60000 ms',
      problems: [],
      seconds: 60,
      generatedAt: '2026-01-02T03:04:05.000Z',
      mode: 'quick',
    };
    delete results.experiments.simulator;
    await writeEvaluation(outDir, results);
    const readme = await readFile(join(outDir, 'README.md'), 'utf8');
    expect(readme).toContain('**Failed experiments: failover**');
    expect(readme).toContain('- lb-balancer (--spawn) was not ready within 60000 ms');
    expect(readme).toContain('_Not run yet: `pnpm --filter bench start -- --only simulator`._');
    expect(await readdir(outDir)).not.toContain('hash-a3-failover.svg');
  });

  it('reads no previous results from an empty or foreign folder', async () => {
    expect(await readPreviousResults(outDir)).toBeUndefined();
    await writeFile(join(outDir, 'results.json'), '{"formatVersion": 99}');
    expect(await readPreviousResults(outDir)).toBeUndefined();
  });
});
