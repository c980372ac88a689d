/**
 * Mirrors that answer wrongly, played by raw sockets next to a real lb-server (whose fragment map
 * verifies every fragment): a 200 where a 206 was asked for, a body that stalls, a Content-Range
 * for other bytes, a server without Range support. The download always completes identical.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectDownloaded,
  jsonEvents,
  MiB,
  type RawServer,
  runClient,
  startRawServer,
  startSingleServer,
} from './helpers.js';

type Behaviour = 'ok' | 'whole-200' | 'stall' | 'wrong-range' | 'drip-corrupt';

const work = useTempDir();
const data = randomBytes(6 * MiB + 10);
const sha = createHash('sha256').update(data).digest('hex');
const root = useTempDir((dir) => writeFile(join(dir, 'f.bin'), data));
let lb: Awaited<ReturnType<typeof startSingleServer>>;

beforeAll(async () => {
  // Slow enough that the raw mirror gets fragments to misbehave on.
  lb = await startSingleServer(root.path, ['--rate', '3M']);
});

afterAll(async () => {
  await lb?.stop();
});

/** A Range mirror of `data` whose n-th fragment request (probe excluded) behaves as `plan(n)`. */
async function rangeMirror(
  plan: (n: number) => Behaviour,
  probe: 'ok' | 'whole-200' = 'ok',
): Promise<RawServer> {
  let requests = 0;
  return startRawServer((socket, head) => {
    const match = /\r\nRange: bytes=(\d+)-(\d+)/i.exec(head);
    const isProbe = match !== null && match[1] === '0' && match[2] === '0';
    const behaviour: Behaviour = isProbe ? probe : plan(++requests);
    if (match === null || behaviour === 'whole-200') {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\n\r\n`);
      socket.write(data);
      return;
    }
    let start = Number(match[1]);
    let end = Number(match[2]);
    if (behaviour === 'wrong-range') {
      start += 1;
      end += 1;
    }
    const body = data.subarray(start, end + 1);
    socket.write(
      `HTTP/1.1 206 Partial Content\r\nContent-Range: bytes ${start}-${end}/${data.length}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    if (behaviour === 'drip-corrupt') {
      dripCorrupt(socket, body);
      return;
    }
    socket.write(behaviour === 'stall' ? body.subarray(0, 1000) : body);
  });
}

/** Sends `body` with every byte flipped, 8 KiB every 8 ms (~1 MB/s), until done or closed. */
function dripCorrupt(socket: Socket, body: Buffer): void {
  const lie = Buffer.from(body.map((byte) => byte ^ 0xff));
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= lie.length) {
      clearInterval(timer);
      return;
    }
    socket.write(lie.subarray(at, at + 8192));
    at += 8192;
  }, 8);
  socket.once('close', () => clearInterval(timer));
}

async function download(name: string, mirror: RawServer, extra: string[] = []) {
  const out = join(work.path, name);
  const run = await runClient([
    '-i',
    '10',
    ...extra,
    '-o',
    `${out}/`,
    lb.url('/f.bin'),
    mirror.url('/f.bin'),
  ]);
  await expectDownloaded(run, join(out, 'f.bin'), sha);
  return run;
}

describe('a mirror that misbehaves once', () => {
  it('a 200 where a 206 was asked for: failed, retried with backoff, the fragment recovered', async () => {
    const mirror = await rangeMirror((n) => (n === 1 ? 'whole-200' : 'ok'));
    try {
      const run = await download('whole-200', mirror);
      expect(run.stderr).toContain(
        `lb-client: Server 2 (${mirror.url('/f.bin')}) failed: answered 200 OK to a range request (the file changed, or Range is not supported); retrying in`,
      );
      expect(run.stderr).toContain(`lb-client: Server 2 (${mirror.url('/f.bin')}) is back\n`);
    } finally {
      await mirror.close();
    }
  });

  it('a body that stalls: detected after --stall-timeout, the fragment goes to another server', async () => {
    const mirror = await rangeMirror((n) => (n === 1 ? 'stall' : 'ok'));
    try {
      // One connection per mirror: with --connections auto the ramp adds healthy connections
      // beside the stalled one, and they finish the file before the stall is even detected.
      const run = await download('stall', mirror, ['--stall-timeout', '0.5', '--connections', '1']);
      expect(run.stderr).toMatch(
        /lb-client: Server 2 \(\S+\) failed: (the response stalled for 0\.5 s|stalled \(no byte for 0\.5 s, or far slower than the others\)); retrying in/,
      );
    } finally {
      await mirror.close();
    }
  });

  it('a lying mirror still writing when an honest endgame copy wins cannot spoil the file', async () => {
    // Every fragment the liar sends is corrupt and slow: its transfers are the last in flight, the
    // honest server duplicates them, wins, and writes its copy only once the liar has stopped.
    const mirror = await rangeMirror(() => 'drip-corrupt');
    try {
      const run = await download('liar-endgame', mirror, ['--json']);
      const events = jsonEvents(run.stdout);
      const done = events.at(-1)!;
      expect(done).toMatchObject({ event: 'done', verification: 'fragments' });
      // The liar delivered bytes that never counted: verification failures or lost races.
      expect((done.serverBytes as number[])[1]).toBeGreaterThan(0);
      expect(
        events.some((e) => e.event === 'fragment-corrupt') || (done.duplicateBytes as number) > 0,
      ).toBe(true);
    } finally {
      await mirror.close();
    }
  });

  it('a Content-Range for other bytes: refused, retried', async () => {
    const mirror = await rangeMirror((n) => (n === 1 ? 'wrong-range' : 'ok'));
    try {
      const run = await download('wrong-range', mirror);
      expect(run.stderr).toMatch(
        /lb-client: Server 2 \(\S+\) failed: sent Content-Range bytes \d+-\d+\/6291466 for bytes \d+-\d+\/6291466; retrying in/,
      );
    } finally {
      await mirror.close();
    }
  });

  it('a mirror without Range support is dropped at once, naming why', async () => {
    const mirror = await rangeMirror(() => 'ok', 'whole-200');
    try {
      const run = await download('no-range', mirror);
      expect(run.stderr).toContain(
        `lb-client: Server 2 (${mirror.url('/f.bin')}) dropped: ignores Range requests (answered 200 to bytes=0-0)\n`,
      );
    } finally {
      await mirror.close();
    }
  });
});
