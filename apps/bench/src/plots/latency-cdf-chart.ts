/** Latency CDF per strategy: one line each, log-scaled latency so 10 ms and 300 ms both read. */
import type { TopLevelSpec } from 'vega-lite';
import type { CdfPoint } from '../stats/empirical-cdf.js';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './render-svg.js';

export interface CdfSeries {
  name: string;
  points: readonly CdfPoint[];
}

export function latencyCdfChart(title: string, series: readonly CdfSeries[]): TopLevelSpec {
  const values = series.flatMap((one) =>
    one.points.map((point) => ({ series: one.name, ms: point.value, fraction: point.fraction })),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: 560,
    height: 320,
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: {
        field: 'ms',
        type: 'quantitative',
        title: 'full response time (ms, log scale)',
        // Not rounded out to the next power of ten: 300 ms must not be squeezed into a 10–1000 axis.
        scale: { type: 'log', nice: false },
      },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of requests at or below' },
      color: {
        field: 'series',
        type: 'nominal',
        title: 'strategy',
        sort: series.map((one) => one.name),
      },
    },
  };
}
