/**
 * Mode 1 end to end: `lb-client URL` against real lb-server and lb-balancer processes, and against
 * raw sockets that misbehave on purpose. Every failure shows its message, its exit code, and that
 * nothing is left under the final name (nor a `.part`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '@lb/test-kit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectDownloaded,
  jsonEvents,
  MiB,
  type RawServer,
  requestTarget,
  runClient,
  spawnClient,
  startBalancer,
  startRawServer,
  startRecordingProxy,
  startSingleServer,
  writeRandomFile,
} from './helpers.js';

const HTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>é — ünïcode</title></head>
<body><p>Hello &amp; welcome.</p></body></html>
`;

const work = useTempDir();
let dataSha: string;
const root = useTempDir(async (dir) => {
  dataSha = await writeRandomFile(join(dir, 'data.bin'), 6 * MiB + 12345);
  await writeFile(join(dir, 'page.html'), HTML);
  await writeRandomFile(join(dir, 'test.jpg'), 20_000);
});
let servers: Array<Awaited<ReturnType<typeof startSingleServer>>>;
let balancer: Awaited<ReturnType<typeof startBalancer>>;

beforeAll(async () => {
  servers = await Promise.all([startSingleServer(root.path), startSingleServer(root.path)]);
  balancer = await startBalancer(
    servers.map((s) => `127.0.0.1:${s.port}`),
    '/test.jpg',
  );
});

afterAll(async () => {
  await Promise.all([...(servers ?? []).map((s) => s.stop()), balancer?.stop()]);
});

async function freshDir(name: string): Promise<string> {
  const dir = join(work.path, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('downloading directly from an lb-server', () => {
  it('saves a binary file byte for byte and prints the response head', async () => {
    const out = await freshDir('direct');
    const url = servers[0]!.url('/data.bin');
    const run = await runClient([url, '-o', `${out}/`]);
    await expectDownloaded(run, join(out, 'data.bin'), dataSha);
    expect(readdirSync(out)).toEqual(['data.bin']);
    expect(run.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(run.stdout).toContain(`Content-Length: ${6 * MiB + 12345}\n`);
    expect(run.stdout).toMatch(/\nRepr-Digest: sha-256=:[A-Za-z0-9+/]{43}=:\n/);
    // The head and nothing else: the body went to the file.
    expect(run.stdout.endsWith('\n\n')).toBe(true);
    expect(run.stdout.length).toBeLessThan(2000);
    expect(run.stderr).toContain(
      `lb-client: saved ${join(out, 'data.bin')} (${6 * MiB + 12345} bytes)`,
    );
  });

  it('saves an HTML page unchanged, by default under its name in the current directory', async () => {
    const cwd = await freshDir('cwd-default');
    const run = await runClient([servers[1]!.url('/page.html')], { cwd });
    expect(run.code).toBe(0);
    expect(await readFile(join(cwd, 'page.html'), 'utf8')).toBe(HTML);
    expect(run.stdout).toContain('Content-Type: text/html; charset=utf-8\n');
  });

  it('-o names the file itself when it is not a directory', async () => {
    const out = await freshDir('named');
    const run = await runClient([servers[0]!.url('/page.html'), '-o', join(out, 'copy.html')]);
    expect(run.code).toBe(0);
    expect(await readFile(join(out, 'copy.html'), 'utf8')).toBe(HTML);
  });

  it('404: prints the page, exits 3, creates nothing', async () => {
    const out = await freshDir('404');
    const url = servers[0]!.url('/missing.bin');
    const run = await runClient([url, '-o', `${out}/`]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^HTTP\/1\.1 404 Not Found\n/);
    expect(run.stdout).toMatch(/\n\n404 Not Found\n$/);
    expect(run.stderr).toContain(`lb-client: ${url} answered 404 Not Found\n`);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('through lb-balancer', () => {
  it('prints the 301 message exactly as sent, follows it and saves the file', async () => {
    const proxy = await startRecordingProxy(balancer.port);
    try {
      const out = await freshDir('balanced');
      const run = await runClient([proxy.url('/data.bin'), '-o', `${out}/`]);
      await expectDownloaded(run, join(out, 'data.bin'), dataSha);

      const raw = proxy.received().toString('latin1');
      const headEnd = raw.indexOf('\r\n\r\n');
      const expected = `${raw.slice(0, headEnd).replaceAll('\r\n', '\n')}\n\n${raw.slice(headEnd + 4)}`;
      expect(raw.startsWith('HTTP/1.1 301 Moved Permanently\r\n')).toBe(true);
      expect(run.stdout.startsWith(expected)).toBe(true);
      expect(expected).toMatch(/\nLocation: http:\/\/127\.0\.0\.1:\d+\/data\.bin\n/);
      expect(expected).toMatch(
        /\nLink: <http:\/\/127\.0\.0\.1:\d+\/data\.bin>; rel=duplicate; pri=1\n/,
      );
      expect(expected).toContain('<h1>Moved Permanently</h1>');
      // Then the lb-server's answer to the Location.
      expect(run.stdout.slice(expected.length)).toMatch(/^HTTP\/1\.1 200 OK\n/);
    } finally {
      await proxy.close();
    }
  });

  it('--multi continues over the Link: rel=duplicate mirrors with the multi-source engine', async () => {
    const out = await freshDir('balanced-multi');
    const run = await runClient([
      `http://127.0.0.1:${balancer.port}/data.bin`,
      '--multi',
      '--json',
      '-o',
      join(out, 'copy.bin'),
    ]);
    await expectDownloaded(run, join(out, 'copy.bin'), dataSha);
    expect(readdirSync(out)).toEqual(['copy.bin']);
    expect(run.stderr).toContain('lb-client: --multi: downloading from 2 mirrors at once');
    const done = jsonEvents(run.stdout).find((e) => e.event === 'done')!;
    expect(done.verification).toBe('fragments');
    expect((done.serverBytes as number[]).length).toBe(2);
  });

  it('without --multi, a single stream from the server it was sent to', async () => {
    const out = await freshDir('balanced-single');
    const run = await runClient([`http://127.0.0.1:${balancer.port}/page.html`, '-o', `${out}/`]);
    expect(run.code).toBe(0);
    expect(await readFile(join(out, 'page.html'), 'utf8')).toBe(HTML);
    expect(run.stderr).not.toContain('--multi');
  });

  it('a 404 behind the redirect exits 3 after printing both messages', async () => {
    const out = await freshDir('balanced-404');
    const run = await runClient([`http://127.0.0.1:${balancer.port}/nope.bin`, '-o', `${out}/`]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\n/);
    expect(run.stdout).toMatch(/\nHTTP\/1\.1 404 Not Found\n/);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('failures of the server or the network', () => {
  let raw: RawServer;
  const body = Buffer.from('the file body\n');

  beforeAll(async () => {
    raw = await startRawServer((socket, head) => {
      const target = requestTarget(head);
      const send = (text: string, payload: Buffer | string = '') => {
        socket.write(Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from(payload)]));
      };
      const redirect = (status: string, location: string | null) =>
        send(
          `HTTP/1.1 ${status}\r\n${location === null ? '' : `Location: ${location}\r\n`}Content-Length: 0\r\n\r\n`,
        );
      const hop = /^\/hop\/(\d+)$/.exec(target);
      if (hop) {
        const n = Number(hop[1]);
        if (n === 0) send(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, body);
        else redirect('302 Found', `/hop/${n - 1}`);
        return;
      }
      // target → [status, Location] (null: no Location field)
      const redirects: Record<string, [string, string | null]> = {
        '/loop-a': ['302 Found', '/loop-b'],
        '/loop-b': ['307 Temporary Redirect', `http://127.0.0.1:${raw.port}/loop-a`],
        '/no-location': ['301 Moved Permanently', null],
        '/to-https': ['308 Permanent Redirect', 'https://example.com/x'],
        '/relative/start': ['303 See Other', 'next/file.txt'],
      };
      const moved = redirects[target];
      if (moved) {
        redirect(...moved);
        return;
      }
      switch (target) {
        case '/503':
          send('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 12\r\n\r\n', 'try later.\r\n');
          return;
        case '/500':
          send('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\n', 'oops!');
          return;
        case '/short':
          send('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n', Buffer.alloc(1000, 7));
          socket.end();
          return;
        case '/relative/next/file.txt':
          send(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, body);
          return;
        case '/bad-digest':
          send(
            `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nRepr-Digest: sha-256=:${'A'.repeat(43)}=:\r\n\r\n`,
            body,
          );
          return;
        case '/hang':
          send('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n', Buffer.alloc(10, 1));
          return;
        default:
          send('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      }
    });
  });

  afterAll(async () => {
    await raw.close();
  });

  async function expectFailure(path: string, code: number, message: string) {
    const out = await freshDir(`fail-${path.replaceAll('/', '_')}`);
    const url = raw.url(path);
    const run = await runClient([url, '-o', join(out, 'result.bin')]);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(message.replaceAll('URL', url).replaceAll('RAW', raw.url('')));
    expect(readdirSync(out)).toEqual([]);
    return run;
  }

  it('503: the body is printed, exit 3', async () => {
    const run = await expectFailure('/503', 3, 'lb-client: URL answered 503 Service Unavailable\n');
    expect(run.stdout).toBe(
      'HTTP/1.1 503 Service Unavailable\nContent-Length: 12\n\ntry later.\r\n',
    );
  });

  it('500 with a body lacking a final newline: printed plus a newline, exit 3', async () => {
    const run = await expectFailure('/500', 3, 'URL answered 500 Internal Server Error');
    expect(run.stdout).toBe('HTTP/1.1 500 Internal Server Error\nContent-Length: 5\n\noops!\n');
  });

  it.each([
    [
      'a body shorter than its Content-Length: exit 4, no partial file',
      '/short',
      4,
      'lb-client: URL: the connection closed after 1000 of 100000 body bytes\n',
    ],
    [
      'a redirect loop: exit 8, naming the chain',
      '/loop-a',
      8,
      'lb-client: redirect loop: RAW/loop-a -> RAW/loop-b -> RAW/loop-a\n',
    ],
    [
      'a redirect without Location: exit 8',
      '/no-location',
      8,
      'lb-client: URL answered 301 without a Location header\n',
    ],
    [
      'a redirect to https: exit 8',
      '/to-https',
      8,
      'lb-client: URL redirected to https://example.com/x: only http:// is supported\n',
    ],
  ])('%s', async (_name, path, code, message) => {
    await expectFailure(path, code, message);
  });

  it('five redirects are followed; a sixth is an error (exit 8)', async () => {
    const out = await freshDir('five-hops');
    const ok = await runClient([raw.url('/hop/5'), '-o', join(out, 'f.txt')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.match(/^HTTP\/1\.1 302 Found$/gm)).toHaveLength(5);
    expect(await readFile(join(out, 'f.txt'))).toEqual(body);
    await expectFailure('/hop/6', 8, 'lb-client: more than 5 redirects: RAW/hop/6 -> ');
  });

  it('a relative Location is resolved against the current URL', async () => {
    const out = await freshDir('relative');
    const run = await runClient([raw.url('/relative/start'), '-o', `${out}/`]);
    expect(run.code).toBe(0);
    expect(await readFile(join(out, 'file.txt'))).toEqual(body);
    expect(run.stdout).toContain('Location: next/file.txt\n');
  });

  it('a body that does not match its Repr-Digest: exit 5, nothing saved', async () => {
    await expectFailure('/bad-digest', 5, "the body's SHA-256 is ");
  });

  it('a refused connection: exit 4', async () => {
    const closed = await startRawServer(() => {});
    const url = closed.url('/x');
    await closed.close();
    const out = await freshDir('refused');
    const run = await runClient([url, '-o', `${out}/`]);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(`lb-client: ${url}: connection refused\n`);
    expect(run.stdout).toBe('');
    expect(readdirSync(out)).toEqual([]);
  });

  it('an unknown host: exit 4', async () => {
    const run = await runClient([
      'http://no-such-host.invalid/file.bin',
      '-o',
      `${work.path}/unknown/`,
    ]);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      'lb-client: http://no-such-host.invalid/file.bin: unknown host no-such-host.invalid\n',
    );
    expect(existsSync(join(work.path, 'unknown', 'file.bin'))).toBe(false);
  });

  it('SIGINT during the body: exit 130, the .part file is removed', async () => {
    const out = await freshDir('sigint');
    const proc = spawnClient([raw.url('/hang'), '-o', join(out, 'hang.bin')]);
    await proc.waitFor(/Content-Length: 100000\n\n/, 30_000, 'stdout');
    await waitForPath(join(out, 'hang.bin.part'));
    proc.kill('SIGINT');
    const { code } = await proc.exited;
    expect(code).toBe(130);
    expect(proc.stderr).toContain('lb-client: interrupted by SIGINT\n');
    expect(readdirSync(out)).toEqual([]);
  });

  it('an output path that cannot be created: exit 9', async () => {
    const blocker = join(work.path, 'a-file');
    await writeFile(blocker, 'x');
    const run = await runClient([
      servers[0]!.url('/page.html'),
      '-o',
      join(blocker, 'sub', 'x.html'),
    ]);
    expect(run.code).toBe(9);
    expect(run.stderr).toContain(`lb-client: cannot create the directory ${join(blocker, 'sub')}`);
  });
});

async function waitForPath(path: string): Promise<void> {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 10));
}
