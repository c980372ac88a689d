/**
 * The demo's text layout: `== ` headings, and every line a child printed indented behind the name
 * of the program that said it, so the reader always knows who spoke:
 *
 *     == 2/6 starting 4 virtual servers
 *        server   | listening on http://127.0.0.1:40123
 *        demo     | sending E4 to lb-server
 */

/** Width of the speaker column: the longest label is "balancer". */
const LABEL_WIDTH = 8;
const INDENT = '   ';

export type Speaker = 'server' | 'balancer' | 'client' | 'demo';

export function headingLine(text: string): string {
  return `== ${text}`;
}

export function speakerLine(speaker: Speaker, text: string): string {
  return `${INDENT}${speaker.padEnd(LABEL_WIDTH)} | ${text}`;
}

export function noteLine(text: string): string {
  return text === '' ? '' : `${INDENT}${text}`;
}

/** Where the demo writes; every call is one whole line. */
export class DemoOutput {
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  heading(text: string): void {
    this.#write(`\n${headingLine(text)}\n`);
  }

  speaker(speaker: Speaker, text: string): void {
    this.#write(`${speakerLine(speaker, text)}\n`);
  }

  note(text = ''): void {
    this.#write(`${noteLine(text)}\n`);
  }

  /** Lines already laid out (the summary), written as they are. */
  lines(lines: readonly string[]): void {
    for (const line of lines) this.#write(`${line}\n`);
  }
}
