import { captureOutput } from '@lb/test-kit';
import { describe, expect, it } from 'vitest';
import { createReporter } from './progress-reporter.js';

describe('createReporter', () => {
  it('writes notes, and one line per finished bar when not on a terminal', () => {
    const { stream, text } = captureOutput();
    const reporter = createReporter(stream);
    reporter.note('starting lb-balancer');
    const bar = reporter.bar('uniform-random', 10);
    for (let i = 0; i < 7; i++) bar.increment();
    bar.stop();
    expect(text()).toMatch(/^starting lb-balancer\n {2}uniform-random: 7\/10 in \d+\.\d s\n$/);
  });

  it('draws a cli-progress bar on a terminal', () => {
    const { stream, text } = captureOutput({ terminal: true });
    const bar = createReporter(stream).bar('A-1 keys', 4);
    bar.increment(4);
    bar.stop();
    expect(text()).toContain('A-1 keys');
    expect(text()).toContain('4/4');
  });
});
