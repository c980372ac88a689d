import { describe, expect, it } from 'vitest';
import { parseConsoleCommand, usageHint } from './console-commands.js';

describe('parseConsoleCommand', () => {
  it.each([
    ['E2', { kind: 'shutdown', server: 2 }],
    ['e2', { kind: 'shutdown', server: 2 }],
    ['  E 4 ', { kind: 'shutdown', server: 4 }],
    ['S1', { kind: 'start', server: 1 }],
    ['s3', { kind: 'start', server: 3 }],
    ['q', { kind: 'quit' }],
    ['Quit', { kind: 'quit' }],
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
  ])('%j', (line, command) => {
    expect(parseConsoleCommand(line, 4)).toEqual(command);
  });

  it('answers unknown input with a hint', () => {
    expect(parseConsoleCommand('hello', 4)).toEqual({
      kind: 'invalid',
      message: `Unknown command "hello". ${usageHint(4)}`,
    });
    expect(usageHint(4)).toBe(
      'Enter E<k> to shut down server k, S<k> to start it again (k = 1..4), or q to quit.',
    );
  });

  it.each(['E0', 'E5', 'S99999999999999999999'])('refuses a server out of range: %j', (line) => {
    const command = parseConsoleCommand(line, 4);
    expect(command.kind).toBe('invalid');
    expect(command.kind === 'invalid' && command.message).toMatch(/^There is no server \d+\. /);
  });

  it('does not echo control characters or huge input', () => {
    const command = parseConsoleCommand(`\x1b[2J${'x'.repeat(100)}`, 2);
    expect(command.kind === 'invalid' && command.message).toMatch(
      /^Unknown command "\?\[2Jx{36}…"/,
    );
  });
});
