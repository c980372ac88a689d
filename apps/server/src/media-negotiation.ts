/**
 * Which of the directory index's two forms a client wants, from its Accept header (RFC 9110
 * §12.5.1). Browsers send `text/html,…,*\/*;q=0.8` and get HTML; `Accept: application/json`
 * gets JSON; curl's `*\/*` or a missing header gets HTML, the default. On equal q-values the
 * type named explicitly wins.
 */

export type IndexFormat = 'html' | 'json';

/** The q-value `accept` gives to `type/subtype` (most specific matching range wins); 0 if none. */
export function qualityOf(accept: string, mediaType: string): number {
  return preferenceOf(accept, mediaType).quality;
}

/** The q-value and how specifically it was named: 3 exact, 2 `type/*`, 1 `*\/*`, 0 not at all. */
function preferenceOf(accept: string, mediaType: string): { quality: number; specificity: number } {
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
  return { quality, specificity: Math.max(best, 0) };
}

export function chooseIndexFormat(accept: string | null): IndexFormat {
  if (accept === null) return 'html';
  const json = preferenceOf(accept, 'application/json');
  const html = preferenceOf(accept, 'text/html');
  if (json.quality !== html.quality) return json.quality > html.quality ? 'json' : 'html';
  // A tie goes to the type the client named explicitly (`application/json, */*` is a JSON client).
  return json.quality > 0 && json.specificity > html.specificity ? 'json' : 'html';
}
