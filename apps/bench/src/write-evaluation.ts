/**
 * Writes docs/evaluation/: every chart rendered to SVG, README.md and results.json. Files this
 * bench generates (its SVGs, README.md, results.json) are removed first, so the folder holds exactly
 * the output of this run (plus, with `--only`, the kept results of earlier ones, re-rendered).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvaluationResults } from './evaluation-results.js';
import { renderSvg } from './plots/render-svg.js';
import { evaluationReadme } from './report/evaluation-readme.js';
import { formatJson } from './report/format-json.js';

export const RESULTS_FILE = 'results.json';
export const README_FILE = 'README.md';

/** The results of an earlier run, or undefined when there are none (or they are unreadable). */
export async function readPreviousResults(outDir: string): Promise<EvaluationResults | undefined> {
  try {
    const parsed = JSON.parse(
      await readFile(join(outDir, RESULTS_FILE), 'utf8'),
    ) as EvaluationResults;
    return parsed.formatVersion === 1 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface WrittenEvaluation {
  files: string[];
  /** Charts that could not be rendered (the rest are written regardless). */
  problems: string[];
}

export async function writeEvaluation(
  outDir: string,
  results: EvaluationResults,
): Promise<WrittenEvaluation> {
  await mkdir(outDir, { recursive: true });
  for (const entry of await readdir(outDir)) {
    if (entry.endsWith('.svg') || entry === RESULTS_FILE || entry === README_FILE) {
      await rm(join(outDir, entry), { force: true });
    }
  }
  const { markdown, charts } = evaluationReadme(results);
  const files: string[] = [];
  const problems: string[] = [];
  for (const chart of charts) {
    try {
      await writeFile(join(outDir, chart.file), `${await renderSvg(chart.spec)}\n`);
      files.push(chart.file);
    } catch (error) {
      problems.push(`chart ${chart.file}: ${(error as Error).message}`);
    }
  }
  await writeFile(join(outDir, README_FILE), markdown);
  await writeFile(join(outDir, RESULTS_FILE), formatJson(results));
  files.push(README_FILE, RESULTS_FILE);
  return { files, problems };
}
