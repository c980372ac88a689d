/**
 * Vega-Lite spec → SVG text, headless: vega-lite compiles to a Vega spec, and a Vega View with the
 * `none` renderer draws it to an SVG string without a browser or a canvas package. Nothing here
 * writes SVG by hand, so every chart is a spec a reader can paste into the Vega editor.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Shared look: white background (readable in dark-mode viewers too) and one font family. */
export const CHART_CONFIG = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  // Label limits wide enough for the longest strategy and variant names: without a canvas, Vega
  // estimates text at 0.8 em per character, so a 35-character label needs about 310 px.
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, labelLimit: 320 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 400, titleLimit: 400 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new View(parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
