import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addressOf,
  findProgram,
  freePort,
  hostPort,
  isAlive,
  livePids,
  makeTempDir,
  parseListeningEvent,
  parseListeningLine,
  removeDir,
  runApp,
  spawnApp,
  startServer,
  statusCodes,
  stopAllApps,
} from './index.js';

afterAll(() => stopAllApps());

describe('listening', () => {
  it('reads the --json event and the human line', () => {
    expect(parseListeningEvent('{"event":"listening","url":"http://127.0.0.1:9"}')).toEqual({
      event: 'listening',
      url: 'http://127.0.0.1:9',
    });
    expect(parseListeningEvent('{"event":"status"}')).toBeUndefined();
    expect(parseListeningEvent('listening on http://127.0.0.1:9')).toBeUndefined();
    expect(parseListeningLine('admin on http://[::1]:9')).toEqual({
      kind: 'admin',
      url: 'http://[::1]:9',
    });
    expect(addressOf(parseListeningLine('listening on http://127.0.0.1:8081')!.url)).toEqual({
      host: '127.0.0.1',
      port: 8081,
    });
    expect(addressOf(parseListeningLine('listening on http://[::1]:9')!.url)).toEqual({
      host: '::1',
      port: 9,
    });
    expect(parseListeningLine('Server 1: Port: 8001 Status: alive')).toBeUndefined();
    expect(hostPort({ host: '::1', port: 9 })).toBe('[::1]:9');
  });
});

describe('statusCodes', () => {
  it('lists the status line of each response in order', () => {
    const text =
      'HTTP/1.1 301 Moved Permanently\r\nContent-Length: 17\r\n\r\nnot HTTP/1.1 200\n' +
      'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n';
    expect(statusCodes(text)).toEqual(['301', '404']);
  });
});

describe('processes', () => {
  it('starts lb-server from source, reads its listening events, and stops it', async () => {
    const dir = await makeTempDir();
    try {
      await writeFile(join(dir, 'a.txt'), 'hello');
      const server = await startServer(
        ['-i', '3600', '-n', '2', '-f', join(dir, 'a.txt'), '-p', '0', '0'],
        {
          listeners: 2,
        },
      );
      expect(server.urls).toHaveLength(2);
      expect(server.id).toBe(`127.0.0.1:${server.port}`);
      const body = await (await fetch(`${server.urls[1]}/a.txt`)).text();
      expect(body).toBe('hello');
      expect(livePids()).toEqual([server.process.pid]);
      expect(await server.stop()).toBe(0);
      expect(livePids()).toEqual([]);
    } finally {
      await removeDir(dir);
    }
  }, 120_000);

  it('runs a program to its end and rejects a wait when it exits first', async () => {
    const run = await runApp({ args: ['-e', 'console.log("out"); process.exit(3)'] });
    expect(run).toMatchObject({ code: 3, stdout: 'out\n' });
    const child = spawnApp({ args: ['-e', 'console.log("{\\"event\\":\\"x\\"}")'] });
    await expect(child.waitForEvent('x')).resolves.toEqual({ event: 'x' });
    await expect(child.waitForLine((line) => line === 'never')).rejects.toThrow(/exited/);
  });

  it('kills what is left by pid when the parent exits', async () => {
    // A parent that starts a long sleeper through the kit, prints its pid and exits at once.
    const script = [
      `const { spawnApp } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});`,
      "const child = spawnApp({ args: ['-e', 'setTimeout(() => {}, 60000)'] });",
      'console.log(child.pid);',
      'setTimeout(() => process.exit(0), 200);',
    ].join('\n');
    const parent = await runApp({
      args: ['--import', 'tsx', '--input-type=module', '-e', script],
      cwd: new URL('..', import.meta.url).pathname,
    });
    expect(parent.code).toBe(0);
    const pid = Number(parent.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Killed: gone, or a zombie left to an init that does not reap (as in some containers).
    const state = existsSync(`/proc/${pid}/stat`)
      ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]
      : isAlive(pid)
        ? 'alive'
        : 'gone';
    expect(['gone', 'Z']).toContain(state);
  }, 60_000);

  it('a free port is one nobody listens on', async () => {
    const port = await freePort();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    expect(findProgram('sh')).toBeDefined();
  });
});
