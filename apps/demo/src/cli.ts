/**
 * The demo's command line: flags (as data), signals, and the one place that turns the outcome into
 * an exit code (EXIT_CODES in demo-errors.ts) and, on failure, a message naming the phase and what
 * the guilty child last said.
 */
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { type CliIo, dropLeadingSeparator, exitCodeFor, processIo } from '@lb/cli-kit';
import {
  ChildExitedError,
  DemoInterruptedError,
  DemoUsageError,
  EXIT_CODES,
  StepTimeoutError,
} from './demo-errors.js';
import { headingLine, noteLine } from './demo-output.js';
import { DemoPhaseFailure, runDemo } from './demo-run.js';
import { DEFAULT_SIZE_MIB } from './demo-settings.js';

export const MIN_SIZE_MIB = 1;
export const MAX_SIZE_MIB = 256;

/** Every flag of the demo (parsed with node:util's parseArgs; no dependency needed for three). */
export const demoOptionDefinitions = {
  size: {
    type: 'string',
    describe: `Size of sample.mp4 in MiB (default ${DEFAULT_SIZE_MIB}, ${MIN_SIZE_MIB}-${MAX_SIZE_MIB}; larger takes longer)`,
  },
  keep: {
    type: 'boolean',
    describe: 'Keep the temp dir (sample.mp4 and both downloads) instead of removing it',
  },
  help: { type: 'boolean', short: 'h', describe: 'Show this help' },
} as const;

export const USAGE = `Usage: pnpm start [--size MiB] [--keep]

Runs lb-server (4 virtual servers), lb-balancer and lb-client on a synthetic sample.mp4,
kills one server mid-download, checks the SHA-256 of both downloads and cleans everything up.

${Object.entries(demoOptionDefinitions)
  .map(([name, option]) => {
    const flag = `${'short' in option ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ' N' : ''}`;
    return `  ${flag.padEnd(16)}${option.describe}`;
  })
  .join('\n')}`;

export type DemoCommand = { kind: 'help' } | { kind: 'run'; sizeMiB: number; keep: boolean };

/** Parses argv (without node and the script); throws DemoUsageError. */
export function parseDemoArgs(argv: readonly string[]): DemoCommand {
  // `pnpm start -- --keep` passes the `--` on; it is not an argument.
  const args = dropLeadingSeparator(argv);
  let values: { size?: string; keep?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: demoOptionDefinitions,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new DemoUsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const sizeMiB = values.size === undefined ? DEFAULT_SIZE_MIB : Number(values.size);
  if (!Number.isFinite(sizeMiB) || sizeMiB < MIN_SIZE_MIB || sizeMiB > MAX_SIZE_MIB) {
    throw new DemoUsageError(
      `--size must be a number of MiB from ${MIN_SIZE_MIB} to ${MAX_SIZE_MIB}, got "${values.size}"`,
    );
  }
  return { kind: 'run', sizeMiB, keep: values.keep === true };
}

/** The failure report: which phase, what went wrong, and the last stderr lines of the child. */
export function formatFailure(failure: DemoPhaseFailure): string[] {
  const where =
    failure.phase === undefined ? '' : ` in ${failure.phase.label} ${failure.phase.title}`;
  const cause = failure.cause;
  if (cause instanceof DemoInterruptedError) {
    return [
      headingLine(
        `interrupted by ${cause.signal}${failure.phase === undefined ? '' : ` during ${failure.phase.label} ${failure.phase.title}`}`,
      ),
      noteLine('every program the demo started was stopped and its temp dir removed'),
    ];
  }
  const lines = [headingLine(`failed${where}`), noteLine(failure.message)];
  const program =
    cause instanceof ChildExitedError || cause instanceof StepTimeoutError
      ? cause.program
      : undefined;
  if (program !== undefined && program.stderrTail.length > 0) {
    lines.push(noteLine(`last lines ${program.name} (pid ${program.pid}) wrote to stderr:`));
    for (const line of program.stderrTail) lines.push(noteLine(`  ${line}`));
  } else if (program !== undefined) {
    lines.push(noteLine(`${program.name} wrote nothing to stderr`));
  }
  if (!(cause instanceof Error) || cause.name === 'Error' || cause.name === 'TypeError') {
    // Not one of ours: a bug in the demo; the stack is what a maintainer needs.
    lines.push(noteLine(String((cause as Error)?.stack ?? cause)));
  }
  return lines;
}

/** The first stop signal as the abort the phases wait on: its reason is a DemoInterruptedError. */
function interruption(io: CliIo): AbortSignal {
  const stop = new AbortController();
  const abort = () => stop.abort(new DemoInterruptedError(io.stop.reason as NodeJS.Signals));
  if (io.stop.aborted) abort();
  else io.stop.addEventListener('abort', abort, { once: true });
  return stop.signal;
}

/** Runs the demo in `tempParent`; resolves with the exit code. Never throws. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  tempParent: string = tmpdir(),
): Promise<number> {
  let command: DemoCommand;
  try {
    command = parseDemoArgs(argv);
  } catch (error) {
    io.stderr.write(`lb-demo: ${(error as Error).message}\n${USAGE}\n`);
    return exitCodeFor(error);
  }
  if (command.kind === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_CODES.ok;
  }
  try {
    await runDemo({
      sizeMiB: command.sizeMiB,
      keep: command.keep,
      tempParent,
      write: (text) => io.stdout.write(text),
      signal: interruption(io),
      // A second signal (a second Ctrl-C, or pnpm forwarding the first) only makes the cleanup quick.
      hurry: io.hurry,
    });
    return EXIT_CODES.ok;
  } catch (error) {
    const failure =
      error instanceof DemoPhaseFailure ? error : new DemoPhaseFailure(undefined, error);
    io.stderr.write(`\n${formatFailure(failure).join('\n')}\n`);
    return exitCodeFor(failure.cause);
  }
}

/** The process entry point: real argv, stdio and signals; exits with the code. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exit(await runCli(argv, processIo(['SIGINT', 'SIGTERM', 'SIGHUP'])));
}
