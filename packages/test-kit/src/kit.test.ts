import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addressOf,
  findProgram,
  freePort,
  hostPort,
  livePids,
  makeTempDir,
  parseListeningEvent,
  parseListeningLine,
  removeDir,
  runApp,
  spawnApp,
  startServer,
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

  it('a free port is one nobody listens on', async () => {
    const port = await freePort();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    expect(findProgram('sh')).toBeDefined();
  });
});
