/**
 * Requests finished per time bucket around a replica kill, stacked by outcome, with rules at the
 * kill and at the moment the replacement served its first request.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './render-svg.js';

export interface TimelineBucket {
  /** Bucket start, ms relative to the kill. */
  atMs: number;
  outcome: string;
  count: number;
}

export interface TimelineMarker {
  atMs: number;
  label: string;
}

export function failoverTimelineChart(
  title: string,
  bucketMs: number,
  buckets: readonly TimelineBucket[],
  markers: readonly TimelineMarker[],
): TopLevelSpec {
  // Each label on its own line from the top, so markers a few ms apart stay readable.
  const markerData = {
    values: markers.map((marker, index) => ({ ...marker, labelY: 2 + 14 * index })),
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    config: CHART_CONFIG,
    width: 560,
    height: 260,
    layer: [
      {
        data: { values: buckets.map((bucket) => ({ ...bucket, endMs: bucket.atMs + bucketMs })) },
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'atMs', type: 'quantitative', title: 'ms since the replica was killed' },
          x2: { field: 'endMs' },
          y: {
            field: 'count',
            type: 'quantitative',
            title: `requests finished per ${bucketMs} ms`,
            stack: 'zero',
          },
          color: {
            field: 'outcome',
            type: 'nominal',
            title: 'outcome',
            sort: ['ok', 'failed'],
            scale: { domain: ['ok', 'failed'], range: ['#4c78a8', '#e45756'] },
          },
        },
      },
      {
        data: markerData,
        mark: { type: 'rule', strokeDash: [6, 4], color: 'black' },
        encoding: { x: { field: 'atMs', type: 'quantitative' } },
      },
      {
        data: markerData,
        mark: { type: 'text', align: 'left', dx: 3, baseline: 'top' },
        encoding: {
          x: { field: 'atMs', type: 'quantitative' },
          y: { field: 'labelY', type: 'quantitative', scale: null },
          text: { field: 'label', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}
