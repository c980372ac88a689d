/**
 * The demo's errors, in the style of the other apps: a base class with a `code`, subclasses with a
 * literal code. Only cli.ts turns them into exit codes and messages.
 */
import type { ChildExit } from './child-program.js';

/** An exit as words, for messages: `exited with code 3`, `was killed by SIGKILL`. */
export function describeExit(exit: ChildExit): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

interface ProgramInfo {
  readonly name: string;
  readonly pid: number;
  readonly stderrTail: readonly string[];
}

export class DemoError extends Error {
  override name = 'DemoError';
  code: string = 'LBD';
}

/** Bad flags: exit 2. */
export class DemoUsageError extends DemoError {
  override name = 'DemoUsageError';
  override code = 'LBD_USAGE' as const;
}

/** A child ended when the demo still needed it (or before it said what the demo waited for). */
export class ChildExitedError extends DemoError {
  override name = 'ChildExitedError';
  override code = 'LBD_CHILD_EXITED' as const;
  readonly program: ProgramInfo;
  readonly exit: ChildExit;

  constructor(program: ProgramInfo, exit: ChildExit) {
    super(`${program.name} (pid ${program.pid}) ${describeExit(exit)}`);
    this.program = program;
    this.exit = exit;
  }
}

/** A step of a phase did not happen in time (a child hung): the demo stops instead of hanging. */
export class StepTimeoutError extends DemoError {
  override name = 'StepTimeoutError';
  override code = 'LBD_STEP_TIMEOUT' as const;
  readonly program: ProgramInfo | undefined;

  constructor(what: string, seconds: number, program?: ProgramInfo) {
    super(`${what}: nothing after ${seconds} s`);
    this.program = program;
  }
}

/** A download does not match the source: the one outcome the demo exists to rule out. */
export class DigestMismatchError extends DemoError {
  override name = 'DigestMismatchError';
  override code = 'LBD_DIGEST_MISMATCH' as const;
}

/** SIGINT, SIGTERM or SIGHUP arrived: exit 128 + the signal number after cleaning up. */
export class DemoInterruptedError extends DemoError {
  override name = 'DemoInterruptedError';
  override code = 'LBD_INTERRUPTED' as const;
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}
