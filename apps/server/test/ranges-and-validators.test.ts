/** Range requests, If-Range, and conditional GETs (304), over raw sockets. */
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileServer } from '../src/file-server.js';
import { exchange, request, startServer } from './helpers.js';

let server: FileServer;
let port: number;
const data = Buffer.from('0123456789abcdefghij'); // 20 bytes
let etag: string;
let lastModified: string;

const root = useTempDir(async (dir) => {
  await writeFile(join(dir, 'f.txt'), data);
  await writeFile(join(dir, 'empty'), '');
  const mtime = new Date('2024-05-01T12:00:00Z');
  await utimes(join(dir, 'f.txt'), mtime, mtime);
});

beforeAll(async () => {
  ({ server, port } = await startServer({ root: root.path }));
  const first = await request(port, '/f.txt');
  etag = first.headers.get('etag')!;
  lastModified = first.headers.get('last-modified')!;
});

afterAll(async () => {
  await server.close();
});

describe('single ranges', () => {
  it.each([
    ['bytes=0-0', 0, 0],
    ['bytes=0-4', 0, 4],
    ['bytes=5-', 5, 19],
    ['bytes=-1', 19, 19],
    ['bytes=-5', 15, 19],
    ['bytes=-100', 0, 19],
    ['bytes=10-1000', 10, 19],
    ['bytes=19-19', 19, 19],
    ['bytes=0-99999999999999999999999', 0, 19],
    ['BYTES=2-3', 2, 3],
    ['bytes= 2-3 ', 2, 3],
  ])('%s → 206 bytes %d-%d', async (range, start, end) => {
    const response = await request(port, '/f.txt', { Range: range });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/20`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(response.body.equals(data.subarray(start, end + 1))).toBe(true);
    expect(response.headers.get('etag')).toBe(etag);
  });

  it.each(['bytes=20-', 'bytes=25-30', 'bytes=-0', 'bytes=99999999999999999999-'])(
    '%s → 416 with Content-Range: bytes */20',
    async (range) => {
      const response = await request(port, '/f.txt', { Range: range });
      expect(response.status).toBe(416);
      expect(response.headers.get('content-range')).toBe('bytes */20');
      expect(response.body.includes(data.subarray(0, 4))).toBe(false);
    },
  );

  it.each(['bytes=5-1', 'items=0-1', 'bytes=abc', 'bytes=1-2-3', 'bytes=', 'bytes=--1', '0-1'])(
    'ignores the invalid or foreign %j → 200 with everything',
    async (range) => {
      const response = await request(port, '/f.txt', { Range: range });
      expect(response.status).toBe(200);
      expect(response.body.equals(data)).toBe(true);
    },
  );

  it('HEAD ignores Range (range handling is defined for GET only) → 200 head', async () => {
    const response = await request(port, '/f.txt', { Range: 'bytes=0-4' }, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('20');
    expect(response.headers.get('content-range')).toBeNull();
    expect(response.body.length).toBe(0);
  });

  it('an empty file: bytes=0-0 → 416 bytes */0, a suffix range → 200 empty', async () => {
    const unsatisfiable = await request(port, '/empty', { Range: 'bytes=0-0' });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe('bytes */0');
    const suffix = await request(port, '/empty', { Range: 'bytes=-5' });
    expect(suffix.status).toBe(200);
    expect(suffix.headers.get('content-length')).toBe('0');
    const plain = await request(port, '/empty');
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBe(0);
  });
});

describe('multiple ranges', () => {
  it('coalesces overlapping ranges into one 206', async () => {
    const response = await request(port, '/f.txt', { Range: 'bytes=0-3,2-5,6-7' });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 0-7/20');
    expect(response.body.toString()).toBe('01234567');
  });

  it('answers disjoint ranges as multipart/byteranges, sorted', async () => {
    const response = await request(port, '/f.txt', { Range: 'bytes=10-11,0-1,-2' });
    expect(response.status).toBe(206);
    const type = response.headers.get('content-type')!;
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(type)![1];
    expect(response.body.toString('latin1')).toBe(
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/20\r\n\r\n01` +
        `\r\n--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 10-11/20\r\n\r\nab` +
        `\r\n--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 18-19/20\r\n\r\nij` +
        `\r\n--${boundary}--\r\n`,
    );
    expect(response.headers.get('content-length')).toBe(String(response.body.length));
  });

  it('up to 16 ranges after coalescing → multipart; 17 → the whole file as 200', async () => {
    const forty = Buffer.alloc(40, 'x');
    await writeFile(join(root.path, 'forty'), forty);
    // Every other byte, so nothing coalesces.
    const sparse = (count: number) =>
      `bytes=${Array.from({ length: count }, (_, i) => `${i * 2}-${i * 2}`).join(',')}`;
    const sixteen = await request(port, '/forty', { Range: sparse(16) });
    expect(sixteen.status).toBe(206);
    expect(sixteen.headers.get('content-type')).toMatch(/^multipart\/byteranges; boundary=/);
    const seventeen = await request(port, '/forty', { Range: sparse(17) });
    expect(seventeen.status).toBe(200);
    expect(seventeen.body.equals(forty)).toBe(true);
  });

  it('unsatisfiable parts are dropped; all unsatisfiable → 416', async () => {
    const some = await request(port, '/f.txt', { Range: 'bytes=50-60,1-1' });
    expect(some.status).toBe(206);
    expect(some.headers.get('content-range')).toBe('bytes 1-1/20');
    const none = await request(port, '/f.txt', { Range: 'bytes=50-60,70-' });
    expect(none.status).toBe(416);
  });
});

describe('If-Range', () => {
  it('honours the range when the strong ETag matches', async () => {
    const response = await request(port, '/f.txt', { Range: 'bytes=0-1', 'If-Range': etag });
    expect(response.status).toBe(206);
  });

  it('honours the range when the date equals Last-Modified', async () => {
    const response = await request(port, '/f.txt', {
      Range: 'bytes=0-1',
      'If-Range': lastModified,
    });
    expect(response.status).toBe(206);
  });

  it.each([
    ['another ETag', '"other"'],
    ['a weak ETag', 'W/"x"'],
    ['a different date', 'Wed, 01 May 2024 12:00:01 GMT'],
    ['garbage', 'yesterday'],
  ])('falls back to 200 for %s', async (_name, value) => {
    const response = await request(port, '/f.txt', { Range: 'bytes=0-1', 'If-Range': value });
    expect(response.status).toBe(200);
    expect(response.body.equals(data)).toBe(true);
  });

  it('the weak form of our own ETag does not match', async () => {
    const response = await request(port, '/f.txt', { Range: 'bytes=0-1', 'If-Range': `W/${etag}` });
    expect(response.status).toBe(200);
  });
});

describe('conditional GET', () => {
  it.each([
    ['If-None-Match: the ETag', { 'If-None-Match': () => etag }],
    ['If-None-Match: a list holding it', { 'If-None-Match': () => `"a", ${etag}` }],
    ['If-None-Match: its weak form', { 'If-None-Match': () => `W/${etag}` }],
    ['If-None-Match: *', { 'If-None-Match': () => '*' }],
    ['If-Modified-Since: Last-Modified', { 'If-Modified-Since': () => lastModified }],
    ['If-Modified-Since: later', { 'If-Modified-Since': () => 'Thu, 01 Jan 2099 00:00:00 GMT' }],
  ])('%s → 304 without a body', async (_name, headerFns) => {
    const headers = Object.fromEntries(Object.entries(headerFns).map(([k, f]) => [k, f()]));
    const result = await exchange(
      port,
      `GET /f.txt HTTP/1.1\r\nHost: x\r\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\nGET /heartbeat HTTP/1.1\r\nHost: x\r\n\r\n`,
      { methods: ['GET', 'GET'] },
    );
    const [notModified, next] = result.responses;
    expect(notModified!.status).toBe(304);
    expect(notModified!.body.length).toBe(0);
    expect(notModified!.headers.get('etag')).toBe(etag);
    expect(notModified!.headers.get('content-length')).toBeNull();
    // The connection stays usable: the 304 carried no body bytes.
    expect(next!.status).toBe(200);
  });

  it.each([
    ['another ETag', { 'If-None-Match': '"nope"' }],
    ['an earlier date', { 'If-Modified-Since': 'Mon, 01 Jan 2024 00:00:00 GMT' }],
    ['a bad date', { 'If-Modified-Since': 'soon' }],
    [
      'If-None-Match wins over If-Modified-Since',
      {
        'If-None-Match': '"nope"',
        'If-Modified-Since': 'Thu, 01 Jan 2099 00:00:00 GMT',
      },
    ],
  ])('%s → 200', async (_name, headers) => {
    const response = await request(port, '/f.txt', headers);
    expect(response.status).toBe(200);
    expect(response.body.equals(data)).toBe(true);
  });
});
