/**
 * The one place an error becomes an exit code, for every app. An app's own errors carry their
 * `exitCode` (each app's base error class extends {@link CliError}); a library's errors cannot
 * know an app's exit codes, so the app maps their `code`s in a table. Anything else is a bug: 1.
 */

/** An unexpected failure: a bug, or the system refusing something no error class foresaw. */
const EXIT_FAILURE = 1;

export interface CliErrorOptions extends ErrorOptions {
  /** The process exit code when this error reaches the command line (default 1). */
  exitCode?: number;
}

/**
 * Base of each app's base error class: a `LB_<APP>_<WHAT>` code, the exit code, and the class's
 * own name, so subclasses repeat neither `name` nor `code` boilerplate.
 */
export class CliError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly exitCode: number;

  constructor(code: Code, message: string, options: CliErrorOptions = {}) {
    const { exitCode = EXIT_FAILURE, ...errorOptions } = options;
    super(message, errorOptions);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Exit codes of other packages' error codes, e.g. `{ LB_RANKING_INVALID_OPTION: 2 }`. */
export type ExitCodeTable = Readonly<Record<string, number>>;

/** The exit code for `error`: its own `exitCode`, else its `code` in `byCode`, else 1. */
export function exitCodeFor(error: unknown, byCode: ExitCodeTable = {}): number {
  if (typeof error !== 'object' || error === null) return EXIT_FAILURE;
  const { exitCode, code } = error as { exitCode?: unknown; code?: unknown };
  if (typeof exitCode === 'number' && Number.isInteger(exitCode)) return exitCode;
  if (typeof code === 'string' && Object.hasOwn(byCode, code)) return byCode[code] as number;
  return EXIT_FAILURE;
}

/** What a command prints for an error: the message of one of its own, the stack of a bug. */
export function errorLine(program: string, error: unknown): string {
  return error instanceof CliError
    ? `${program}: ${error.message}`
    : `${program}: unexpected error: ${(error as Error)?.stack ?? String(error)}`;
}

/**
 * The end of every bin: waits for `main`'s exit code and exits with it. A `main` that throws has
 * a bug: its stack goes to stderr, `beforeExit` runs (stop children), and the exit code is 1.
 */
export function exitWith(
  program: string,
  main: Promise<number>,
  beforeExit: () => Promise<unknown> = async () => undefined,
): void {
  main.then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${errorLine(program, error)}\n`);
      void beforeExit().finally(() => process.exit(EXIT_FAILURE));
    },
  );
}
