/** Requests per server for each strategy: one stacked bar per strategy, a colour per server. */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from './render-svg.js';

export interface RequestsRow {
  /** The bar (e.g. the strategy). */
  group: string;
  /** The stack segment (e.g. the server). */
  part: string;
  count: number;
}

export function stackedRequestsChart(
  title: string,
  rows: readonly RequestsRow[],
  labels: { group: string; part: string; count: string },
): TopLevelSpec {
  const groups = [...new Set(rows.map((row) => row.group))];
  const parts = [...new Set(rows.map((row) => row.part))].sort();
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: 560,
    height: 300,
    config: CHART_CONFIG,
    data: { values: rows.map((row) => ({ ...row })) },
    mark: 'bar',
    encoding: {
      y: { field: 'group', type: 'nominal', title: labels.group, sort: groups },
      x: { field: 'count', type: 'quantitative', title: labels.count, stack: 'zero' },
      color: { field: 'part', type: 'nominal', title: labels.part, sort: parts },
      order: { field: 'part', sort: 'ascending' },
    },
  };
}
