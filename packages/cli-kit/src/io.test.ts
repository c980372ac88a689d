import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryIo, writeLine } from './io.js';

describe('createMemoryIo', () => {
  it('collects what is written', () => {
    const io = createMemoryIo({ env: { A: '1' }, cwd: '/tmp' });
    writeLine(io.stdout, 'one');
    io.stdout.write('two');
    writeLine(io.stderr, 'oops');
    expect(io.stdoutText()).toBe('one\ntwo');
    expect(io.stderrText()).toBe('oops\n');
    expect(io.env).toEqual({ A: '1' });
    expect(io.cwd).toBe('/tmp');
  });

  it('aborts stop on the first signal and hurry on the second', () => {
    const io = createMemoryIo();
    expect(io.stop.aborted).toBe(false);
    io.sendSignal('SIGTERM');
    expect(io.stop.reason).toBe('SIGTERM');
    expect(io.hurry.aborted).toBe(false);
    io.sendSignal('SIGINT');
    expect(io.hurry.reason).toBe('SIGINT');
    expect(io.stop.reason).toBe('SIGTERM');
  });
});

describe('processIo', () => {
  it('turns real SIGTERMs into stop, then hurry', async () => {
    const program = fileURLToPath(new URL('./io.test-program.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', program], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    const said = async (text: string) => {
      while (!output.includes(text)) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await said('ready');
    child.kill('SIGTERM');
    await said('stop SIGTERM');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toBe('ready\nstop SIGTERM\nhurry SIGTERM\n');
    expect(code).toBe(0);
  });
});
