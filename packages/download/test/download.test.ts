/** The engine end to end against real mirrors on local sockets (test/mirror-server.ts). */
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DownloadAbortedError,
  type DownloadEvent,
  download,
  InvalidOptionError,
  NoMirrorLeftError,
  ServersLostError,
} from '../src/index.js';
import { closedPort, type MirrorServer, startMirrorServer } from './mirror-server.js';

const FRAGMENT = 64 * 1024;
const body = randomBytes(40 * FRAGMENT + 123);
let dir: string;
const servers: MirrorServer[] = [];

async function mirror(options: Partial<Parameters<typeof startMirrorServer>[0]> = {}) {
  const server = await startMirrorServer({ body, fragmentSize: FRAGMENT, ...options });
  servers.push(server);
  return server;
}

const fast = { tickMs: 10, backoffBaseMs: 20, backoffMaxMs: 50, connectTimeoutMs: 1000 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-download-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('download()', () => {
  it('takes the file from the mirrors that answer; a dead one is reported down', async () => {
    const good = await mirror();
    const dead = `http://127.0.0.1:${await closedPort()}/f.bin`;
    const events: DownloadEvent[] = [];
    const path = join(dir, 'one-dead.bin');
    const result = await download({
      ...fast,
      mirrors: [dead, good.url],
      destination: path,
      waitMs: 5000,
      onEvent: (event) => events.push(event),
    });
    expect(result).toMatchObject({ path, size: body.byteLength, verification: 'fragments' });
    expect(result.serverBytes[0]).toBe(0);
    expect((await readFile(path)).equals(body)).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ event: 'mirror-down', server: 1 }));
    expect(events.map((e) => e.event)).toContain('started');
    expect(await exists(`${path}.part`)).toBe(false);
  });

  it('catches a mirror that corrupts fragments and fetches them elsewhere', async () => {
    const liar = await mirror({ corrupt: true });
    const honest = await mirror();
    const events: DownloadEvent[] = [];
    const path = join(dir, 'liar.bin');
    await download({
      ...fast,
      mirrors: [liar.url, honest.url],
      destination: { kind: 'file', path },
      connectionsPerMirror: 1,
      onEvent: (event) => events.push(event),
    });
    expect((await readFile(path)).equals(body)).toBe(true);
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'fragment-corrupt', server: 1 }),
    );
    expect(events).toContainEqual(expect.objectContaining({ event: 'mirror-dropped', server: 1 }));
  });

  it('names and leaves out a mirror that holds another file', async () => {
    const other = await mirror({ body: body.subarray(1) });
    const good = await mirror();
    const events: DownloadEvent[] = [];
    const path = join(dir, 'other.bin');
    const result = await download({
      ...fast,
      mirrors: [good.url, other.url],
      destination: path,
      onEvent: (event) => events.push(event),
    });
    expect((await readFile(path)).equals(body)).toBe(true);
    expect(result.serverBytes[1]).toBe(0);
    expect(events).toContainEqual(expect.objectContaining({ event: 'mirror-rejected', server: 2 }));
  });

  it('rejects with NoMirrorLeftError (onlyHttpErrors) when every mirror answers 404', async () => {
    const a = await mirror({ status: 404 });
    const b = await mirror({ status: 404 });
    const error = await download({ ...fast, mirrors: [a.url, b.url], destination: join(dir, 'x') })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoMirrorLeftError);
    expect(error).toMatchObject({ code: 'LB_DOWNLOAD_NO_MIRROR_LEFT', onlyHttpErrors: true });
  });

  it('rejects with ServersLostError once no mirror answered for waitMs', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/f.bin`;
    const error = await download({
      ...fast,
      mirrors: [url],
      destination: join(dir, 'y'),
      waitMs: 200,
    })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServersLostError);
    expect(error).toMatchObject({ everConnected: false, waitMs: 200, urls: [url] });
  });

  it('an abort keeps the partial download; resume finishes it without fetching it all again', async () => {
    const a = await mirror();
    const b = await mirror();
    const path = join(dir, 'resumed.bin');
    const controller = new AbortController();
    let received = 0;
    const aborted = await download({
      ...fast,
      mirrors: [a.url, b.url],
      destination: path,
      connectionsPerMirror: 1,
      signal: controller.signal,
      onBytesReceived: (bytes) => {
        received += bytes;
        if (received >= 10 * FRAGMENT) controller.abort('stop');
      },
    }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(DownloadAbortedError);
    expect(aborted).toMatchObject({ code: 'LB_DOWNLOAD_ABORTED', reason: 'stop' });
    expect(await exists(`${path}.part`)).toBe(true);
    const before = a.rangesServed + b.rangesServed;
    const result = await download({
      ...fast,
      mirrors: [a.url, b.url],
      destination: path,
      resume: true,
    });
    expect(result.resumedBytes).toBeGreaterThan(0);
    expect(a.rangesServed + b.rangesServed - before).toBeLessThan(41);
    expect((await readFile(path)).equals(body)).toBe(true);
  });

  it('refuses no mirrors or a non-http URL with InvalidOptionError', async () => {
    await expect(download({ mirrors: [], destination: 'x' })).rejects.toThrow(InvalidOptionError);
    await expect(download({ mirrors: ['ftp://h/f'], destination: 'x' })).rejects.toMatchObject({
      code: 'LB_DOWNLOAD_INVALID_OPTION',
      option: 'mirrors',
    });
  });
});
