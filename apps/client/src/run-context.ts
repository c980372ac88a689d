/** What the modes need from the process, passed in so tests can run them in-process. */
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';

export interface RunContext {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  cwd: string;
  /** Aborted on SIGINT/SIGTERM; the reason is the signal's name. */
  signal: AbortSignal;
  logger: Logger;
  /** Told every body byte count received (the CLI paces garbage collection with it). */
  onBytesReceived?: (bytes: number) => void;
}

/** `lb-client: <message>` on stderr: what a person should know, never data. */
export function notice(context: Pick<RunContext, 'stderr'>, message: string): void {
  context.stderr.write(`lb-client: ${message}\n`);
}
