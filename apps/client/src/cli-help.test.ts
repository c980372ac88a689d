import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { clientExamples, parseCommandLine } from './cli.js';

function collector(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

describe('--help', () => {
  it('prints every example as a comment line above a command that can be copied', async () => {
    const stdout = collector();
    expect(await parseCommandLine(['--help'], { stdout })).toBeNull();
    for (const [meaning, command] of clientExamples) {
      expect(stdout.text()).toContain(`  # ${meaning}\n  ${command}\n`);
    }
  });

  it.each(clientExamples.map(([, command]) => [command]))('example parses: %s', async (command) => {
    const config = await parseCommandLine(command.split(' ').slice(1), { stdout: collector() });
    expect(config?.mode).toBe(
      command.includes(' -a ') ? 'servers' : command.includes(' http://10.') ? 'mirrors' : 'url',
    );
  });
});
