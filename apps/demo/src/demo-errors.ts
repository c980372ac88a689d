/**
 * The demo's errors, in the style of the other apps: a base class with the `LB_DEMO_` code prefix,
 * subclasses with a literal code, each carrying its exit code. Only cli.ts turns them into exit
 * codes (through @lb/cli-kit) and messages.
 *
 * Exit codes: 0 the demo ran and both downloads match; 1 a phase failed (or a digest differs);
 * 2 bad flags; 128 + n when stopped by a signal (130 for Ctrl-C), after cleaning up.
 */
import { constants } from 'node:os';
import { CliError } from '@lb/cli-kit';
import type { ChildExit } from './child-program.js';

export const EXIT_CODES = Object.freeze({ ok: 0, failure: 1, usage: 2 });

/** An exit as words, for messages: `exited with code 3`, `was killed by SIGKILL`. */
export function describeExit(exit: ChildExit): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

interface ProgramInfo {
  readonly name: string;
  readonly pid: number;
  readonly stderrTail: readonly string[];
}

export type DemoErrorCode =
  | 'LB_DEMO_USAGE'
  | 'LB_DEMO_CHILD_EXITED'
  | 'LB_DEMO_STEP_TIMEOUT'
  | 'LB_DEMO_DIGEST_MISMATCH'
  | 'LB_DEMO_INTERRUPTED';

/** Base class of every error the demo raises on purpose; `name` is the subclass's own. */
export class DemoError extends CliError<DemoErrorCode> {}

/** Bad flags: exit 2. */
export class DemoUsageError extends DemoError {
  declare readonly code: 'LB_DEMO_USAGE';

  constructor(message: string) {
    super('LB_DEMO_USAGE', message, { exitCode: EXIT_CODES.usage });
  }
}

/** A child ended when the demo still needed it (or before it said what the demo waited for). */
export class ChildExitedError extends DemoError {
  declare readonly code: 'LB_DEMO_CHILD_EXITED';

  constructor(
    readonly program: ProgramInfo,
    readonly exit: ChildExit,
  ) {
    super('LB_DEMO_CHILD_EXITED', `${program.name} (pid ${program.pid}) ${describeExit(exit)}`);
  }
}

/** A step of a phase did not happen in time (a child hung): the demo stops instead of hanging. */
export class StepTimeoutError extends DemoError {
  declare readonly code: 'LB_DEMO_STEP_TIMEOUT';

  constructor(
    what: string,
    seconds: number,
    readonly program?: ProgramInfo,
  ) {
    super('LB_DEMO_STEP_TIMEOUT', `${what}: nothing after ${seconds} s`);
  }
}

/** A download does not match the source: the one outcome the demo exists to rule out. */
export class DigestMismatchError extends DemoError {
  declare readonly code: 'LB_DEMO_DIGEST_MISMATCH';

  constructor(message: string) {
    super('LB_DEMO_DIGEST_MISMATCH', message);
  }
}

/** SIGINT, SIGTERM or SIGHUP arrived: exit 128 + the signal number after cleaning up. */
export class DemoInterruptedError extends DemoError {
  declare readonly code: 'LB_DEMO_INTERRUPTED';

  constructor(readonly signal: NodeJS.Signals) {
    super('LB_DEMO_INTERRUPTED', `interrupted by ${signal}`, {
      exitCode: 128 + constants.signals[signal],
    });
  }
}
