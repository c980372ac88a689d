/** GitHub-flavoured markdown tables and the number formats the reports use. */
export type Alignment = 'left' | 'right';

export function markdownTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align: readonly Alignment[] = [],
): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const rule = header.map((_, index) => (align[index] === 'right' ? '---:' : '---'));
  return [header.map(escapeCell), rule, ...rows.map((row) => row.map(escapeCell))]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');
}

/** Milliseconds with one decimal; `–` for a missing value. */
export function ms(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(1);
}

export function ratio(value: number, digits = 3): string {
  return Number.isNaN(value) ? '–' : value.toFixed(digits);
}

export function percent(value: number, digits = 1): string {
  return Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)} %`;
}

/** 10000 → `10,000`. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}
