/** A stand-in for stdout/stderr that keeps what is written, optionally posing as a terminal. */
import { Writable } from 'node:stream';

export interface CapturedOutput {
  stream: Writable & { isTTY?: boolean; columns?: number };
  /** Everything written so far. */
  text(): string;
}

/**
 * With `terminal`, the stream says it is a TTY of `columns` (default 120) and accepts the cursor
 * calls progress bars make, doing nothing with them: only the text is kept.
 */
export function captureOutput(
  options: { terminal?: boolean; columns?: number } = {},
): CapturedOutput {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  if (options.terminal) {
    Object.assign(stream, {
      isTTY: true,
      columns: options.columns ?? 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      clearScreenDown: () => true,
    });
  }
  return { stream, text: () => text };
}
