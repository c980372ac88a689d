import { describe, expect, it } from 'vitest';
import { buildArgv, dropLeadingSeparator } from './argv.js';
import { CliError } from './exit-codes.js';

class UsageError extends CliError {
  constructor(message: string) {
    super('LB_CLI_TEST_USAGE', message, { exitCode: 2 });
  }
}

const spec = {
  scriptName: 'lb-test',
  usage: 'Usage: lb-test [options]',
  options: {
    port: { alias: 'p', type: 'number', default: 8080, describe: 'Port to listen on' },
    level: { type: 'string', choices: ['a', 'b'], describe: 'A level' },
    help: { alias: 'h', type: 'boolean', describe: 'Show this help' },
  },
  examples: [['Listen on 9000', 'lb-test -p 9000']],
  strict: 'all',
  usageError: (message: string) => new UsageError(message),
} as const;

describe('buildArgv', () => {
  it('parses the flags given as data', async () => {
    const flags = await buildArgv(['-p', '9000', '--level', 'b'], spec).parseAsync();
    expect(flags).toMatchObject({ port: 9000, level: 'b' });
    expect((await buildArgv([], spec).parseAsync()).port).toBe(8080);
  });

  it('turns every parse failure into the app usage error', async () => {
    for (const argv of [['--nope'], ['--level', 'c'], ['stray']]) {
      // A validation failure throws from parseAsync() itself, not through its promise.
      const error = await (async () => buildArgv(argv, spec).parseAsync())().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ code: 'LB_CLI_TEST_USAGE', exitCode: 2 });
    }
  });

  it('allows positionals when only options are strict', async () => {
    const flags = await buildArgv(['a', 'b'], { ...spec, strict: 'options' }).parseAsync();
    expect(flags._).toEqual(['a', 'b']);
  });

  it('prints the examples as a comment above the command, and -h is our flag', async () => {
    const parser = buildArgv(['-h'], spec);
    expect((await parser.parseAsync()).help).toBe(true);
    const help = await parser.getHelp();
    expect(help).toContain('Usage: lb-test [options]');
    expect(help).toContain('  # Listen on 9000\n  lb-test -p 9000');
    expect(help).toMatch(/-p, --port +Port to listen on/);
  });

  it('leaves --help to yargs when asked (the output goes to the parse callback)', async () => {
    const parser = buildArgv(['--help'], {
      ...spec,
      options: { port: spec.options.port },
      builtInHelp: true,
    });
    const output = await new Promise<string>((resolve) =>
      parser.parse(['--help'], {}, (_error, _argv, text) => resolve(text)),
    );
    expect(output).toContain('--help');
    expect(output).toContain('Show help');
  });

  it('applies the parser configuration', async () => {
    const strict = { ...spec, options: { name: { type: 'string' } }, strict: 'options' } as const;
    const configured = buildArgv(['--name', 'a', '--name', 'b', '007'], {
      ...strict,
      parserConfiguration: {
        'duplicate-arguments-array': false,
        'parse-positional-numbers': false,
      },
    });
    expect(await configured.parseAsync()).toMatchObject({ name: 'b', _: ['007'] });
    const plain = await buildArgv(['--name', 'a', '--name', 'b'], strict).parseAsync();
    expect(plain.name).toEqual(['a', 'b']);
  });
});

describe('dropLeadingSeparator', () => {
  it('drops only a leading --', () => {
    expect(dropLeadingSeparator(['--', '--port', '0'])).toEqual(['--port', '0']);
    expect(dropLeadingSeparator(['--port', '--'])).toEqual(['--port', '--']);
    expect(dropLeadingSeparator([])).toEqual([]);
  });
});
