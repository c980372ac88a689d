/**
 * Which of the directory index's two forms a client wants, from its Accept header (RFC 9110
 * §12.5.1). Browsers send `text/html,…,*\/*;q=0.8` and get HTML; `Accept: application/json`
 * gets JSON; curl's `*\/*`, a missing header, or a tie gets HTML, the default.
 */

export type IndexFormat = 'html' | 'json';

/** The q-value `accept` gives to `type/subtype` (most specific matching range wins); 0 if none. */
export function qualityOf(accept: string, mediaType: string): number {
  const [type] = mediaType.split('/');
  let best = -1;
  let quality = 0;
  for (const element of accept.split(',')) {
    const [rangeText, ...parameters] = element.split(';');
    const range = rangeText!.trim().toLowerCase();
    if (range === '') continue;
    const specificity =
      range === mediaType ? 3 : range === `${type}/*` ? 2 : range === '*/*' ? 1 : 0;
    if (specificity <= best || specificity === 0) continue;
    best = specificity;
    quality = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=').map((part) => part.trim());
      if (name?.toLowerCase() === 'q') {
        const q = Number(value);
        quality = Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0;
      }
    }
  }
  return quality;
}

export function chooseIndexFormat(accept: string | null): IndexFormat {
  if (accept === null) return 'html';
  const json = qualityOf(accept, 'application/json');
  const html = qualityOf(accept, 'text/html');
  return json > html ? 'json' : 'html';
}
