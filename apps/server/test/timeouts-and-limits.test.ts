/**
 * Connection timeouts and limits, with short option values so the tests are quick. Only the
 * outcome (408, closed, refused) is asserted, never how long it took.
 */
import { writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { exchange, openSocket, request, withServer, writeRandomFile } from './helpers.js';

const root = useTempDir(async (dir) => {
  await writeFile(join(dir, 'small.txt'), 'small');
  await writeRandomFile(join(dir, 'big.bin'), 16 * 1024 * 1024);
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Resolves with everything received once the server closes the socket. */
function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(text));
  });
}

describe('header timeout', () => {
  it('a client that sends its head slowly gets 408 and the connection closes', async () => {
    await withServer({ root: root.path, headerTimeoutMs: 300 }, async (port) => {
      const socket = await openSocket(port);
      const received = readUntilClosed(socket);
      socket.write('GET /small.txt HTTP/1.1\r\n');
      const dribble = setInterval(() => {
        if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
      }, 50);
      const text = await received;
      clearInterval(dribble);
      expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(text).toContain('Connection: close\r\n');
    });
  });

  it('does not apply while the previous response is still being read', async () => {
    await withServer({ root: root.path, headerTimeoutMs: 200 }, async (port) => {
      // Two full requests arrive together; the second one must not be timed out.
      const result = await exchange(
        port,
        'GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n',
        { methods: ['GET', 'GET'], timeoutMs: 10_000 },
      );
      expect(result.responses.map((r) => r.status)).toEqual([200, 200]);
    });
  });
});

describe('idle timeout', () => {
  it('closes a silent connection without answering', async () => {
    await withServer({ root: root.path, idleTimeoutMs: 200 }, async (port) => {
      const socket = await openSocket(port);
      expect(await readUntilClosed(socket)).toBe('');
    });
  });

  it('closes a keep-alive connection that stays idle after a response', async () => {
    await withServer({ root: root.path, idleTimeoutMs: 200 }, async (port) => {
      const result = await exchange(port, 'GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n', {
        responses: 2,
        timeoutMs: 10_000,
      });
      expect(result.responses.map((r) => r.status)).toEqual([200]);
      expect(result.closed).toBe(true);
    });
  });
});

describe('send timeout', () => {
  it('drops a client that stops reading', async () => {
    await withServer({ root: root.path, sendTimeoutMs: 300 }, async (port, server) => {
      const socket = await openSocket(port);
      socket.on('error', () => {});
      socket.write('GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n');
      // A paused socket does not read, so it cannot see the server's close: ask the server.
      socket.pause();
      await waitUntil(() => server.connectionCount === 0);
      socket.destroy();
    });
  });
});

describe('max connections', () => {
  it('closes connections over the limit at once; those within it still work', async () => {
    await withServer({ root: root.path, maxConnections: 4 }, async (port) => {
      const held = await Promise.all(Array.from({ length: 4 }, () => openSocket(port)));
      const extra = await Promise.all(Array.from({ length: 20 }, () => openSocket(port)));
      const extraOutcomes = await Promise.all(extra.map((socket) => readUntilClosed(socket)));
      expect(extraOutcomes.every((text) => text === '')).toBe(true);
      // The held connections still get answers.
      const answers = await Promise.all(
        held.map((socket) => {
          const done = new Promise<string>((resolve) => {
            let text = '';
            socket.setEncoding('latin1').on('data', (chunk: string) => {
              text += chunk;
              if (text.endsWith('Hello from Server: test')) resolve(text);
            });
          });
          socket.write('GET /home HTTP/1.1\r\nHost: x\r\n\r\n');
          return done;
        }),
      );
      expect(answers).toHaveLength(4);
      for (const socket of held) socket.destroy();
      // Once they are gone, new connections are accepted again.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await request(port, '/heartbeat')).status).toBe(200);
    });
  });
});

describe('pipelining limit', () => {
  it('answers a pipeline far longer than the queue limit, in order', async () => {
    await withServer({ root: root.path, maxPipelined: 4 }, async (port) => {
      const count = 200;
      const targets = Array.from({ length: count }, (_, i) => (i % 2 ? '/small.txt' : '/home'));
      const result = await exchange(
        port,
        targets.map((t) => `GET ${t} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''),
        { methods: new Array(count).fill('GET'), timeoutMs: 10_000 },
      );
      expect(result.responses.map((r) => r.body.toString())).toEqual(
        targets.map((t) => (t === '/home' ? 'Hello from Server: test' : 'small')),
      );
    });
  });
});
