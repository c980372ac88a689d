import { describe, expect, it } from 'vitest';
import { svgProblems, svgTexts } from '../../test/svg-structure.js';
import { empiricalCdf } from '../stats/empirical-cdf.js';
import { failoverTimelineChart } from './failover-timeline-chart.js';
import { groupedBarsChart } from './grouped-bars-chart.js';
import { latencyCdfChart } from './latency-cdf-chart.js';
import { renderSvg } from './render-svg.js';
import { seriesLinesChart } from './series-lines-chart.js';
import { stackedRequestsChart } from './stacked-requests-chart.js';

async function render(spec: Parameters<typeof renderSvg>[0]) {
  const svg = await renderSvg(spec);
  expect(svgProblems(svg)).toEqual([]);
  return { svg, texts: svgTexts(svg) };
}

describe('charts render to well-formed SVG with their marks and labels', () => {
  it('latency CDF: one line per strategy, log axis title, legend', async () => {
    const { svg, texts } = await render(
      latencyCdfChart('Latency CDF', [
        { name: 'uniform-random', points: empiricalCdf([10, 60, 150, 12, 61]) },
        { name: 'fixed-machine', points: empiricalCdf([11, 12, 13]) },
      ]),
    );
    expect(texts).toContain('Latency CDF');
    expect(texts).toContain('full response time (ms, log scale)');
    expect(texts).toEqual(expect.arrayContaining(['uniform-random', 'fixed-machine']));
    // Vega draws a line mark container per series.
    expect(svg.match(/class="mark-line role-mark/g)).toHaveLength(2);
  });

  it('stacked requests: a bar segment per (strategy, server)', async () => {
    const { svg, texts } = await render(
      stackedRequestsChart(
        'Requests per server',
        [
          { group: 'random', part: 'A1', count: 5 },
          { group: 'random', part: 'B1', count: 3 },
          { group: 'fixed', part: 'A1', count: 8 },
        ],
        { group: 'strategy', part: 'server', count: 'requests' },
      ),
    );
    expect(texts).toEqual(expect.arrayContaining(['Requests per server', 'A1', 'B1', 'fixed']));
    expect(svg).toContain('mark-rect');
    expect(svg.match(/<path[^>]*aria-roledescription="bar"/g)).toHaveLength(3);
  });

  it('grouped bars with a reference rule, single panel and faceted', async () => {
    const single = await render(
      groupedBarsChart(
        [
          { category: 'r1', series: 'servers', value: 3300 },
          { category: 'r1', series: 'balancer', value: 3300 },
          { category: 'r2', series: 'servers', value: 3400 },
          { category: 'r2', series: 'balancer', value: 3400 },
        ],
        {
          title: 'A-1',
          categoryTitle: 'replica',
          valueTitle: 'requests',
          seriesTitle: 'counted by',
          reference: { value: 3333.3, label: 'ideal 10000/3' },
        },
      ),
    );
    expect(single.texts).toEqual(expect.arrayContaining(['A-1', 'ideal 10000/3', 'replica']));
    expect(single.svg).toContain('mark-rule');
    expect(single.svg.match(/aria-roledescription="bar"/g)).toHaveLength(4);

    const faceted = await render(
      groupedBarsChart(
        [
          { category: 'random', series: 'measured', value: 50, facet: 'p50' },
          { category: 'random', series: 'simulated', value: 48, facet: 'p50' },
          { category: 'random', series: 'measured', value: 160, facet: 'p99' },
          { category: 'random', series: 'simulated', value: 151, facet: 'p99' },
        ],
        {
          title: 'sim vs measured',
          categoryTitle: 'strategy',
          valueTitle: 'ms',
          seriesTitle: 'source',
          independentPanels: true,
        },
      ),
    );
    expect(faceted.texts).toEqual(expect.arrayContaining(['p50', 'p99', 'measured', 'simulated']));
  });

  it('series lines: panels with their titles, a dashed ideal', async () => {
    const { svg, texts } = await render(
      seriesLinesChart('Moved keys', 'change', [
        {
          title: 'share moved',
          valueTitle: 'share of keys',
          dashedSeries: 'ideal',
          points: [
            { x: '2→3', series: 'murmur3', value: 0.34 },
            { x: '3→4', series: 'murmur3', value: 0.26 },
            { x: '2→3', series: 'ideal', value: 1 / 3 },
            { x: '3→4', series: 'ideal', value: 0.25 },
          ],
        },
        {
          title: 'max/mean',
          valueTitle: 'max/mean',
          points: [
            { x: 2, series: 'murmur3', value: 1.1 },
            { x: 3, series: 'murmur3', value: 1.2 },
          ],
        },
      ]),
    );
    expect(texts).toEqual(expect.arrayContaining(['Moved keys', 'share moved', 'max/mean', '2→3']));
    expect(svg).toContain('stroke-dasharray="6,4"');
    // Two series in the first panel, one in the second.
    expect(svg.match(/class="mark-line role-mark/g)).toHaveLength(3);
  });

  it('failover timeline: stacked outcome rects and labelled markers', async () => {
    const { svg, texts } = await render(
      failoverTimelineChart(
        'Failover',
        100,
        [
          { atMs: -100, outcome: 'ok', count: 30 },
          { atMs: 0, outcome: 'ok', count: 20 },
          { atMs: 0, outcome: 'failed', count: 4 },
        ],
        [
          { atMs: 0, label: 'kill' },
          { atMs: 42, label: 'replacement serves' },
        ],
      ),
    );
    expect(texts).toEqual(expect.arrayContaining(['Failover', 'kill', 'replacement serves']));
    expect(svg).toContain('mark-rect');
    expect(svg.match(/class="mark-rule/g)?.length).toBeGreaterThanOrEqual(1);
  });
});
