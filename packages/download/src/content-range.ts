import { type ContentRange, type HeaderList, parseContentRange } from '@lb/http-wire';

/** The response's Content-Range, or undefined when it is missing or malformed. */
export function contentRangeOf(headers: HeaderList): ContentRange | undefined {
  const value = headers.get('content-range');
  if (value === null) return undefined;
  try {
    return parseContentRange(value);
  } catch {
    return undefined;
  }
}
