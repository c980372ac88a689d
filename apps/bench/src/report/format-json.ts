/**
 * JSON text laid out the way the repository's formatter (Biome, Prettier-compatible) lays it out,
 * so the generated results.json passes `biome check` untouched: objects one member per line, arrays
 * of plain values on one line when they fit in the line width, otherwise one element per line.
 */
export const LINE_WIDTH = 100;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlain(value: Json): boolean {
  return (
    value === null ||
    typeof value !== 'object' ||
    (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)
  );
}

function format(value: Json, indent: number, prefixWidth: number, suffixWidth: number): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPlain)) {
      const flat = `[${value.map((item) => format(item, 0, 0, 0)).join(', ')}]`;
      if (prefixWidth + flat.length + suffixWidth <= LINE_WIDTH) return flat;
    }
    const items = value.map(
      (item, index) =>
        `${pad}${format(item, indent + 2, indent + 2, index < value.length - 1 ? 1 : 0)}`,
    );
    return `[\n${items.join(',\n')}\n${close}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  const members = keys.map((key, index) => {
    const name = `${JSON.stringify(key)}: `;
    const suffix = index < keys.length - 1 ? 1 : 0;
    return `${pad}${name}${format(value[key]!, indent + 2, indent + 2 + name.length, suffix)}`;
  });
  return `{\n${members.join(',\n')}\n${close}}`;
}

/** `value` as formatted JSON text, ending with a newline. */
export function formatJson(value: unknown): string {
  // A round trip drops undefined members and turns NaN into null, exactly as JSON.stringify would.
  const plain = JSON.parse(JSON.stringify(value)) as Json;
  return `${format(plain, 0, 0, 0)}\n`;
}
