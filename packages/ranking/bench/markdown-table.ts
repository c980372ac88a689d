/** Renders a GitHub-flavoured markdown table; numeric-looking cells are right-aligned. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const numeric = header.map(
    (_, c) =>
      rows.length > 0 &&
      rows.every((row) => /^[-+]?[\d.,]+(%|×|x| ms| ns)?$|^—$/.test(row[c] ?? '')),
  );
  const widths = header.map((h, c) =>
    Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)),
  );
  const pad = (cell: string, c: number) =>
    numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!);
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => pad(cell, c)).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (numeric[c] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Fixed-precision number, or an em dash for NaN. */
export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export function percent(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(digits)}%` : '—';
}
