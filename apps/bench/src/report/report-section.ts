/** A piece of the evaluation README and the charts it embeds. */
import type { TopLevelSpec } from 'vega-lite';

export interface ChartFile {
  /** File name inside docs/evaluation/, ending in .svg. */
  file: string;
  spec: TopLevelSpec;
  /** Alt text of the image in the README. */
  alt: string;
}

export interface ReportSection {
  markdown: string;
  charts: ChartFile[];
}

/** `![alt](file)` for a chart of the section. */
export function image(chart: ChartFile): string {
  return `![${chart.alt}](${chart.file})`;
}
