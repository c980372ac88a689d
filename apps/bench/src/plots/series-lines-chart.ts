/**
 * Lines with points over an ordered x (replica count, or a membership change), one per series, in
 * one or more side-by-side panels with their own y axis. Used for the load per replica and max/mean
 * against N and for the share of keys moved against the ideal.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './render-svg.js';

export interface SeriesPoint {
  x: string | number;
  series: string;
  value: number;
}

export interface SeriesPanel {
  title: string;
  valueTitle: string;
  points: readonly SeriesPoint[];
  /** Draw this series dashed (e.g. the ideal). */
  dashedSeries?: string;
  /** Start the y axis at 0 (default); false zooms into the data (ratios near 1). */
  zeroBased?: boolean;
}

export function seriesLinesChart(
  title: string,
  xTitle: string,
  panels: readonly SeriesPanel[],
): TopLevelSpec {
  const xIsNumber = panels.every((panel) => panel.points.every((p) => typeof p.x === 'number'));
  const xOrder = [...new Set(panels.flatMap((panel) => panel.points.map((p) => String(p.x))))];
  const specs = panels.map((panel) => {
    const seriesOrder = [...new Set(panel.points.map((p) => p.series))];
    return {
      title: panel.title,
      width: Math.max(300, xOrder.length * 48),
      height: 240,
      data: { values: panel.points.map((point) => ({ ...point })) },
      mark: { type: 'line' as const, point: true, strokeWidth: 2 },
      encoding: {
        x: xIsNumber
          ? {
              field: 'x',
              type: 'quantitative' as const,
              title: xTitle,
              axis: { tickMinStep: 1, format: 'd' },
              scale: { zero: false },
            }
          : {
              field: 'x',
              type: 'ordinal' as const,
              title: xTitle,
              sort: xOrder,
              axis: { labelAngle: -30 },
            },
        y: {
          field: 'value',
          type: 'quantitative' as const,
          title: panel.valueTitle,
          scale: { zero: panel.zeroBased ?? true },
        },
        color: {
          field: 'series',
          type: 'nominal' as const,
          title: 'series',
          sort: seriesOrder,
        },
        ...(panel.dashedSeries === undefined
          ? {}
          : {
              strokeDash: {
                condition: { test: `datum.series === '${panel.dashedSeries}'`, value: [6, 4] },
                value: [1, 0],
              },
            }),
      },
    };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    config: CHART_CONFIG,
    hconcat: specs,
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
