/**
 * The server list file given with `--config`: one `host:port [weight=N] [region=NAME]` per line,
 * `#` starts a comment (anywhere on a line), blank lines are ignored. Every problem is reported as
 * `FILE:LINE: problem`, with the path exactly as the user gave it, like a compiler would.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, ConfigFileUnreadableError } from './errors.js';
import { parseServerLine, type ServerSpec } from './server-spec.js';

/** A configured server and the line that declared it, so duplicates can point at the first one. */
export interface ConfiguredServer extends ServerSpec {
  /** Where it was declared: `FILE:LINE`. */
  source: string;
}

/** Parses the text of a config file. Throws {@link ConfigError} at the first bad line. */
export function parseConfigText(text: string, file: string): ConfiguredServer[] {
  const servers: ConfiguredServer[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const raw = lines[index] ?? '';
    const hash = raw.indexOf('#');
    const content = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (content === '') continue;
    // NUL and other controls mean the file is not a text config (or was corrupted).
    if (/[\x00-\x08\x0b-\x1f\x7f]/.test(content)) {
      throw new ConfigError(file, lineNumber, 'control character in line');
    }
    const result = parseServerLine(content);
    if (!result.ok) throw new ConfigError(file, lineNumber, result.problem);
    const first = firstLineOf.get(result.spec.id);
    if (first !== undefined) {
      throw new ConfigError(
        file,
        lineNumber,
        `duplicate server "${result.spec.id}" (first on line ${first})`,
      );
    }
    firstLineOf.set(result.spec.id, lineNumber);
    servers.push({ ...result.spec, source: `${file}:${lineNumber}` });
  }
  return servers;
}

/** Reads and parses a config file. */
export async function readConfigFile(file: string): Promise<ConfiguredServer[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigFileUnreadableError(file, error as Error);
  }
  return parseConfigText(text, file);
}

/**
 * Parses positional `host:port` arguments. Each argument is one server line, so
 * `"127.0.0.1:8081 weight=2"` (quoted) works too; errors name `argv` and the 1-based position.
 */
export function parseServerArguments(args: readonly string[]): ConfiguredServer[] {
  return args.map((arg, index) => {
    const result = parseServerLine(arg);
    if (!result.ok) throw new ConfigError('argv', index + 1, result.problem);
    return { ...result.spec, source: `argv:${index + 1}` };
  });
}

/**
 * Joins the config file's servers and the positional ones; a server named in both places is an
 * error rather than a silent double weight.
 */
export function mergeServerLists(
  fromFile: readonly ConfiguredServer[],
  fromArgs: readonly ConfiguredServer[],
): ConfiguredServer[] {
  const seen = new Map(fromFile.map((server) => [server.id, server.source]));
  for (const [index, server] of fromArgs.entries()) {
    const first = seen.get(server.id);
    if (first !== undefined) {
      throw new ConfigError(
        'argv',
        index + 1,
        `duplicate server "${server.id}" (also at ${first})`,
      );
    }
    seen.set(server.id, server.source);
  }
  return [...fromFile, ...fromArgs];
}
