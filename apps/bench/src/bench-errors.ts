/**
 * The bench's errors: one base class with the `LB_BENCH_` code prefix, each error carrying its exit
 * code; only cli.ts turns an error into an exit, through @lb/cli-kit.
 */
import { CliError } from '@lb/cli-kit';

/** Exit codes of the bench. */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  /** An experiment or a chart failed (or an unexpected error). */
  failed: 1,
  /** Bad flags: nothing ran. */
  usage: 2,
  /** Ctrl-C: every lb process stopped first. */
  interrupted: 130,
});

export type BenchErrorCode = 'LB_BENCH_OPTION';

/** Base class of every error the bench raises on purpose; `name` is the subclass's own. */
export class BenchError extends CliError<BenchErrorCode> {}

/** A flag value (or a combination) the bench cannot run with. */
export class BenchOptionError extends BenchError {
  declare readonly code: 'LB_BENCH_OPTION';

  constructor(message: string) {
    super('LB_BENCH_OPTION', message, { exitCode: EXIT_CODES.usage });
  }
}
