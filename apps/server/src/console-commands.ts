/**
 * What the operator types on stdin in virtual-server mode: `E<k>` shuts server k down (like a
 * crash), `S<k>` starts it again, `q` quits. Case and surrounding spaces do not matter. Anything
 * else gets a one-line hint; nothing typed can crash the process.
 */

export type ConsoleCommand =
  | { kind: 'shutdown'; server: number }
  | { kind: 'start'; server: number }
  | { kind: 'quit' }
  | { kind: 'empty' }
  | { kind: 'invalid'; message: string };

const SERVER_COMMAND = /^([ES])\s*(\d+)$/i;

export function usageHint(serverCount: number): string {
  return `Enter E<k> to shut down server k, S<k> to start it again (k = 1..${serverCount}), or q to quit.`;
}

export function parseConsoleCommand(line: string, serverCount: number): ConsoleCommand {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  if (/^(q|quit|exit)$/i.test(text)) return { kind: 'quit' };
  const match = SERVER_COMMAND.exec(text);
  if (match === null) {
    return {
      kind: 'invalid',
      message: `Unknown command "${printable(text)}". ${usageHint(serverCount)}`,
    };
  }
  const server = Number(match[2]);
  if (!Number.isSafeInteger(server) || server < 1 || server > serverCount) {
    return {
      kind: 'invalid',
      message: `There is no server ${printable(match[2]!)}. ${usageHint(serverCount)}`,
    };
  }
  return { kind: match[1]!.toUpperCase() === 'E' ? 'shutdown' : 'start', server };
}

/** Echoed input is cut short and stripped of control characters so it cannot mess the terminal. */
function printable(text: string): string {
  const clean = text.replace(/[\x00-\x1f\x7f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
