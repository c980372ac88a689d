/**
 * ChildProgram against the real apps: it must read their lines, report a failing child with its
 * stderr, and leave nothing behind when it stops one.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, makeTempDir, removeDir } from '@lb/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildProgram } from '../src/child-program.js';
import { ChildExitedError } from '../src/demo-errors.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('lb-demo-child-test-');
  await writeFile(join(dir, 'hello.txt'), 'hello\n');
});
afterAll(async () => {
  await removeDir(dir);
});

describe('ChildProgram', () => {
  it('waits for a line, stops the program with its process group, and awaits the exit', async () => {
    const lines: string[] = [];
    const server = new ChildProgram({
      app: 'server',
      args: ['--root', dir, '--port', '0', '--log-level', 'silent'],
      onStdoutLine: (line) => lines.push(line),
    });
    const url = await server.waitForListening(new AbortController().signal);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines).toContain(`listening on ${url}`);
    expect(server.running).toBe(true);

    const exit = await server.stop(3000);
    // SIGTERM is lb-server's graceful stop: exit 0.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.running).toBe(false);
    expect(isAlive(server.pid)).toBe(false);
    // Nothing of its process group either (tsx's esbuild helper included).
    expect(isAlive(-server.pid)).toBe(false);
    expect(server.signalGroup('SIGKILL')).toBe(false);
  });

  it('rejects a wait with ChildExitedError carrying the last stderr lines when the child fails', async () => {
    // Nothing listens on port 1: the performance test fails and lb-balancer exits 3.
    const balancer = new ChildProgram({
      app: 'balancer',
      args: ['127.0.0.1:1', '--probe-path', '/x', '--port', '0', '--log-level', 'silent'],
    });
    const error = await balancer
      .waitForListening(new AbortController().signal)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChildExitedError);
    expect((error as ChildExitedError).exit).toEqual({ code: 3, signal: null });
    expect((error as ChildExitedError).message).toBe(
      `lb-balancer (pid ${balancer.pid}) exited with code 3`,
    );
    expect(balancer.stderrTail.join('\n')).toMatch(/^lb-balancer: /m);
  });

  it('gives up a wait when its signal aborts, with the reason', async () => {
    const server = new ChildProgram({
      app: 'server',
      args: ['--root', dir, '--port', '0', '--log-level', 'silent'],
    });
    try {
      const stop = new AbortController();
      const waiting = server.waitForLine(() => undefined, stop.signal);
      stop.abort(new Error('enough'));
      await expect(waiting).rejects.toThrow('enough');
    } finally {
      await server.stop(3000);
    }
    expect(isAlive(server.pid)).toBe(false);
  });

  it('kills a program that ignores SIGTERM once the hurry signal aborts', async () => {
    // A stopped (SIGSTOP) process does not act on SIGTERM: only the SIGKILL that hurry sends ends it.
    const server = new ChildProgram({
      app: 'server',
      args: ['--root', dir, '--port', '0', '--log-level', 'silent'],
    });
    await server.waitForListening(new AbortController().signal);
    server.signalGroup('SIGSTOP');
    const hurry = new AbortController();
    const stopping = server.stop(60_000, hurry.signal);
    hurry.abort();
    expect(await stopping).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isAlive(server.pid)).toBe(false);
    expect(isAlive(-server.pid)).toBe(false);
  });
});
