/**
 * Every app's yargs parser, built from its flags as data: `--help` is generated from the same
 * definitions the app exports, so the documented flags are the real ones.
 */
import yargs, { type Argv, type Options, type ParserConfigurationOptions } from 'yargs';

/** `[what it does, command]`: the help prints the meaning as a shell comment above the command. */
export type HelpExample = readonly [meaning: string, command: string];

export interface ArgvSpec {
  scriptName: string;
  usage: string;
  options: Readonly<Record<string, Options>>;
  examples?: readonly HelpExample[];
  /** `all`: unknown flags and stray words fail; `options`: only unknown flags (positionals allowed). */
  strict: 'all' | 'options';
  parserConfiguration?: Partial<ParserConfigurationOptions>;
  /**
   * yargs answers `--help` itself (the bench). Otherwise `-h`/`--help` and `-V`/`--version` are
   * the app's own flags, and the app prints the help on its stdout.
   */
  builtInHelp?: boolean;
  /** The app's usage error for a message from yargs (unknown flag, missing value, bad choice). */
  usageError: (message: string) => Error;
}

/** `pnpm start -- --port 0` hands the `--` on; to yargs it would turn every flag into a word. */
export function dropLeadingSeparator(argv: readonly string[]): string[] {
  return argv[0] === '--' ? argv.slice(1) : [...argv];
}

/** The yargs parser for `argv` (without node and the script): never exits, never prints. */
export function buildArgv(argv: readonly string[], spec: ArgvSpec): Argv {
  let parser = yargs([...argv])
    .scriptName(spec.scriptName)
    .usage(spec.usage);
  // Built-ins off before the options, so -h/-V can be the app's own flags.
  parser = spec.builtInHelp ? parser.help().version(false) : parser.help(false).version(false);
  parser = parser.options(spec.options);
  if (spec.examples !== undefined && spec.examples.length > 0) {
    parser = parser.example(
      spec.examples.flatMap(([meaning, command]) => [
        [`# ${meaning}`, ''],
        [command, ''],
      ]),
    );
  }
  if (spec.parserConfiguration !== undefined) {
    parser = parser.parserConfiguration(spec.parserConfiguration);
  }
  parser = spec.strict === 'all' ? parser.strict() : parser.strictOptions();
  return parser
    .exitProcess(false)
    .wrap(100)
    .fail((message, error) => {
      throw error !== undefined && isCodedError(error)
        ? error
        : spec.usageError(error?.message ?? message);
    });
}

function isCodedError(error: Error): boolean {
  return typeof (error as { code?: unknown }).code === 'string';
}
