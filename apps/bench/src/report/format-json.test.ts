import { describe, expect, it } from 'vitest';
import { formatJson } from './format-json.js';

describe('formatJson', () => {
  it('puts object members on their own lines and short plain arrays on one line', () => {
    expect(formatJson({ a: 1, list: ['h1', 'h2'], empty: {}, none: [], nested: { b: null } })).toBe(
      '{\n  "a": 1,\n  "list": ["h1", "h2"],\n  "empty": {},\n  "none": [],\n  "nested": {\n    "b": null\n  }\n}\n',
    );
  });

  it('breaks an array that does not fit in 100 columns, counting the key and the comma', () => {
    const long = Array.from({ length: 30 }, (_, i) => i * 1000);
    const text = formatJson({ values: long, next: 1 });
    expect(text.startsWith('{\n  "values": [\n    0,\n    1000,\n')).toBe(true);
    const fits = Array.from({ length: 10 }, (_, i) => i);
    expect(formatJson({ values: fits })).toBe(`{\n  "values": [${fits.join(', ')}]\n}\n`);
  });

  it('expands arrays of objects and drops undefined members like JSON.stringify', () => {
    expect(formatJson([{ x: 1, y: undefined }])).toBe('[\n  {\n    "x": 1\n  }\n]\n');
    expect(formatJson({ n: Number.NaN })).toBe('{\n  "n": null\n}\n');
  });
});
