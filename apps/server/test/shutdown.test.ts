/** Graceful shutdown (SIGINT/SIGTERM) and crash (E<k>) of a FileServer, in process. */
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import {
  exchange,
  isRefused,
  openSocket,
  request,
  startServer,
  withServer,
  writeRandomFile,
} from './helpers.js';

const MiB = 1024 * 1024;
let file: Buffer;

const root = useTempDir(async (dir) => {
  file = await writeRandomFile(join(dir, 'file.bin'), 2 * MiB);
});

describe('shutdown(grace)', () => {
  it('closes idle keep-alive connections at once and stops accepting', async () => {
    const { server, port } = await startServer({ root: root.path });
    const socket = await openSocket(port);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /home HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    await server.shutdown(5000);
    await closed;
    expect(await isRefused(port)).toBe(true);
  });

  it('lets a response in flight finish within the grace period, then closes', async () => {
    const { server, port } = await startServer({ root: root.path, rateBytesPerSecond: 8 * MiB });
    const download = exchange(
      port,
      'GET /file.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /home HTTP/1.1\r\nHost: x\r\n\r\n',
      // Wait for a third response that never comes: the exchange ends at the close.
      { methods: ['GET', 'GET'], responses: 3, timeoutMs: 10_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.shutdown(5000);
    const result = await download;
    await server.close();
    // The response in flight completed, the request already received behind it was answered
    // with Connection: close, and then the connection closed.
    expect(result.responses).toHaveLength(2);
    expect(result.responses[0]!.body.equals(file)).toBe(true);
    expect(result.responses[1]!.headers.get('connection')).toBe('close');
    expect(result.closed).toBe(true);
  });

  it('destroys what is still running when the grace period ends', async () => {
    const { server, port } = await startServer({ root: root.path, rateBytesPerSecond: 256 * 1024 });
    const download = exchange(port, 'GET /file.bin HTTP/1.1\r\nHost: x\r\n\r\n', {
      methods: ['GET'],
      timeoutMs: 10_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.shutdown(100);
    const result = await download;
    expect(result.responses).toHaveLength(0);
    expect(result.closed).toBe(true);
    expect(result.partialBody!.length).toBeLessThan(file.length);
  });
});

describe('crash()', () => {
  it('drops every connection mid-transfer and can listen again on the same port', async () => {
    const { server, port } = await startServer({ root: root.path, rateBytesPerSecond: MiB });
    const download = exchange(port, 'GET /file.bin HTTP/1.1\r\nHost: x\r\n\r\n', {
      methods: ['GET'],
      timeoutMs: 10_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.crash();
    const result = await download;
    expect(result.closed).toBe(true);
    expect(result.responses).toHaveLength(0);
    expect(await isRefused(port)).toBe(true);
    await server.listen('127.0.0.1', port);
    expect((await request(port, '/heartbeat')).status).toBe(200);
    await server.close();
  });
});

describe('a client that half-closes mid-request', () => {
  it('gets 400 for the truncated request, then the connection closes', async () => {
    await withServer({ root: root.path }, async (port) => {
      const socket = await openSocket(port);
      const text = await new Promise<string>((resolve) => {
        let received = '';
        socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
        socket.on('close', () => resolve(received));
        socket.end('GET /home HTTP/1.1\r\nHost: x\r\nX-Half');
      });
      expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    });
  });
});
