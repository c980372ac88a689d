import { describe, expect, it } from 'vitest';
import { count, markdownTable, ms, percent, ratio } from './markdown-table.js';

describe('markdownTable', () => {
  it('renders a header, an alignment rule and escaped cells', () => {
    expect(
      markdownTable(
        ['a', 'n'],
        [
          ['x|y', '1'],
          ['z', '22'],
        ],
        ['left', 'right'],
      ),
    ).toBe('| a | n |\n| --- | ---: |\n| x\\|y | 1 |\n| z | 22 |');
  });
});

describe('number formats', () => {
  it('formats ms, ratios, percents and counts, with – for missing values', () => {
    expect(ms(12.345)).toBe('12.3');
    expect(ms(null)).toBe('–');
    expect(ms(Number.NaN)).toBe('–');
    expect(ratio(1.23456)).toBe('1.235');
    expect(percent(0.25)).toBe('25.0 %');
    expect(count(10000)).toBe('10,000');
  });
});
