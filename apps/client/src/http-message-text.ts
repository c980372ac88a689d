/**
 * The text lb-client prints for each response it receives in mode 1: the status line and the header
 * fields exactly as received (names keep their case and order, repeated fields stay separate),
 * with LF line ends for the terminal, then an empty line — the shape of `curl -i`.
 */
import type { ResponseHead } from '@lb/http-wire';

export function formatResponseHead(head: ResponseHead): string {
  const reason = head.reason === '' ? '' : ` ${head.reason}`;
  let text = `HTTP/${head.versionMajor}.${head.versionMinor} ${head.statusCode}${reason}\n`;
  for (const [name, value] of head.headers) text += `${name}: ${value}\n`;
  return `${text}\n`;
}

/**
 * A body printed after its head (a redirect's HTML, an error page): verbatim, plus a newline when it
 * does not end with one so that whatever is printed next starts on its own line.
 */
export function printableBody(body: Uint8Array): Uint8Array {
  if (body.byteLength === 0 || body[body.byteLength - 1] === 0x0a) return body;
  const out = new Uint8Array(body.byteLength + 1);
  out.set(body);
  out[body.byteLength] = 0x0a;
  return out;
}
