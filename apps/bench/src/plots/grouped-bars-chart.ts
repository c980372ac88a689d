/**
 * Bars grouped side by side: per category (x), one bar per series (colour), with an optional
 * horizontal reference line (e.g. the ideal mean). Used for requests per replica counted three
 * ways, and for simulated vs measured percentiles (one panel per facet).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './render-svg.js';

export interface GroupedBar {
  category: string;
  series: string;
  value: number;
  /** Panel name; rows with different facets are drawn in separate panels side by side. */
  facet?: string;
}

export interface GroupedBarsOptions {
  title: string;
  categoryTitle: string;
  valueTitle: string;
  seriesTitle: string;
  /** Draws a dashed rule at this value, labelled (same in every panel). */
  reference?: { value: number; label: string };
  /** One y scale per panel (values of different magnitude, e.g. p50 and p99). */
  independentPanels?: boolean;
}

export function groupedBarsChart(
  rows: readonly GroupedBar[],
  options: GroupedBarsOptions,
): TopLevelSpec {
  const categories = [...new Set(rows.map((row) => row.category))];
  const series = [...new Set(rows.map((row) => row.series))];
  const facets = [...new Set(rows.flatMap((row) => (row.facet === undefined ? [] : [row.facet])))];
  const bars = {
    mark: { type: 'bar' as const },
    encoding: {
      x: {
        field: 'category',
        type: 'nominal' as const,
        title: options.categoryTitle,
        sort: categories,
        axis: { labelAngle: -30 },
      },
      xOffset: { field: 'series', type: 'nominal' as const, sort: series },
      y: { field: 'value', type: 'quantitative' as const, title: options.valueTitle },
      color: {
        field: 'series',
        type: 'nominal' as const,
        title: options.seriesTitle,
        sort: series,
      },
    },
  };
  const reference = options.reference;
  const layers = reference
    ? [
        bars,
        {
          data: { values: [{ reference: reference.value, label: reference.label }] },
          mark: { type: 'rule' as const, strokeDash: [6, 4], color: 'black' },
          encoding: { y: { field: 'reference', type: 'quantitative' as const } },
        },
        {
          data: { values: [{ reference: reference.value, label: reference.label }] },
          mark: {
            type: 'text' as const,
            align: 'left' as const,
            dx: 4,
            dy: -6,
            x: 0,
          },
          encoding: {
            y: { field: 'reference', type: 'quantitative' as const },
            text: { field: 'label', type: 'nominal' as const },
          },
        },
      ]
    : [bars];
  const data = { values: rows.map((row) => ({ ...row })) };
  if (facets.length === 0) {
    return {
      $schema: VEGA_LITE_SCHEMA,
      title: options.title,
      config: CHART_CONFIG,
      data,
      width: Math.max(360, categories.length * series.length * 22),
      height: 280,
      layer: layers,
    } as TopLevelSpec;
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title,
    config: CHART_CONFIG,
    data,
    facet: { column: { field: 'facet', type: 'nominal', title: null, sort: facets } },
    spec: {
      width: Math.max(200, categories.length * series.length * 14),
      height: 260,
      layer: layers,
    },
    resolve: options.independentPanels ? { scale: { y: 'independent' } } : {},
  } as TopLevelSpec;
}
