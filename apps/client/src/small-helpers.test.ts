import * as download from '@lb/download';
import { HeaderList } from '@lb/http-wire';
import { describe, expect, it } from 'vitest';
import { shouldSkipOptimizingCompiler } from './compiler-tier.js';
import { formatEngineEvent } from './engine-notices.js';
import * as errors from './errors.js';
import { type ClientAppError, EXIT_CODES, InterruptedError, toClientError } from './errors.js';
import { formatResponseHead, printableBody } from './http-message-text.js';

describe('the exit-code table', () => {
  it('is the documented one', () => {
    expect(EXIT_CODES).toEqual({
      ok: 0,
      failure: 1,
      usage: 2,
      httpStatus: 3,
      network: 4,
      verification: 5,
      serversLost: 6,
      resume: 7,
      redirect: 8,
      localFile: 9,
      interrupted: 130,
      terminated: 143,
    });
  });

  it('every error class maps to a code from the table', () => {
    const codes = new Set(Object.values(EXIT_CODES));
    const samples: ClientAppError[] = [
      new errors.UsageError('x'),
      new errors.HttpStatusError(404, 'Not Found', 'http://h/'),
      new errors.NetworkError('http://h/', 'x'),
      new errors.VerificationError('x'),
      new errors.RedirectError('loop', 'x'),
      new errors.LocalFileError('/p', 'x'),
      new InterruptedError('SIGINT'),
      new InterruptedError('SIGTERM'),
    ];
    expect(samples.map((e) => e.exitCode)).toEqual([2, 3, 4, 5, 8, 9, 130, 143]);
    for (const error of samples) {
      expect(codes.has(error.exitCode as never)).toBe(true);
      expect(error.code).toMatch(/^LB_CLIENT_[A-Z_]+$/);
    }
  });

  it("maps @lb/download's errors to the table, keeping their codes", () => {
    const lost = { waitMs: 2000, partPath: '/o/f.part', urls: ['http://a/f', 'http://b/f'] };
    const samples = [
      new download.NoMirrorLeftError('x', true),
      new download.NoMirrorLeftError('x', false),
      new download.ServersLostError({ ...lost, everConnected: true }),
      new download.ServersLostError({ ...lost, everConnected: false }),
      new download.VerificationError('x'),
      new download.ResumeError('x', 'start over'),
      new download.LocalFileError('/p', 'x'),
      new download.InvalidOptionError('mirrors', 'x'),
      new download.InternalDownloadError(new Error('bug')),
    ].map((e) => toClientError(e) as ClientAppError);
    expect(samples.map((e) => e.exitCode)).toEqual([3, 5, 6, 4, 5, 7, 9, 2, 1]);
    for (const error of samples) expect(error.code).toMatch(/^LB_DOWNLOAD_[A-Z_]+$/);
    expect(samples[2]!.message).toBe(
      'all servers unreachable for 2 s; the partial download is kept in /o/f.part: rerun with -r to resume',
    );
    expect(samples[3]!.message).toBe('no server answered within 2 s: http://a/f, http://b/f');
    expect(samples[5]!.message).toBe('x; rerun without -r to start over');
    expect(samples[8]!.message).toBe('internal error: bug');
    const other = new Error('not ours');
    expect(toClientError(other)).toBe(other);
  });

  it('localFileError explains the errno', () => {
    const error = errors.localFileError(
      '/x',
      'write',
      Object.assign(new Error('e'), { code: 'ENOSPC' }),
    );
    expect(error.message).toBe('cannot write /x: no space left on the device');
    expect(error.exitCode).toBe(9);
  });
});

describe('formatResponseHead / printableBody', () => {
  it('prints the status line and fields as received, LF line ends, a blank line', () => {
    const head = {
      statusCode: 301,
      reason: 'Moved Permanently',
      versionMajor: 1,
      versionMinor: 1,
      headers: new HeaderList([
        'Location',
        'http://s/f',
        'link',
        '<a>; rel=duplicate',
        'Link',
        '<b>',
      ]),
      keepAlive: true,
      contentLength: 0,
      chunked: false,
    };
    expect(formatResponseHead(head)).toBe(
      'HTTP/1.1 301 Moved Permanently\nLocation: http://s/f\nlink: <a>; rel=duplicate\nLink: <b>\n\n',
    );
    expect(
      formatResponseHead({ ...head, reason: '', versionMinor: 0, headers: new HeaderList() }),
    ).toBe('HTTP/1.0 301\n\n');
  });

  it('adds a final newline to a body only when missing', () => {
    expect(Buffer.from(printableBody(Buffer.from('a\n')))).toEqual(Buffer.from('a\n'));
    expect(Buffer.from(printableBody(Buffer.from('a')))).toEqual(Buffer.from('a\n'));
    expect(printableBody(new Uint8Array()).byteLength).toBe(0);
  });
});

describe('formatEngineEvent', () => {
  it('names the server as in the metrics, with its URL', () => {
    const url = 'http://h:1/f';
    expect(
      formatEngineEvent({
        event: 'mirror-down',
        server: 2,
        url,
        reason: 'connection refused',
        retryInMs: 1234,
      }),
    ).toBe('Server 2 (http://h:1/f) failed: connection refused; retrying in 1.2 s (with backoff)');
    expect(formatEngineEvent({ event: 'mirror-dropped', server: 1, url, reason: 'r' })).toBe(
      'Server 1 (http://h:1/f) dropped: r',
    );
    expect(
      formatEngineEvent({ event: 'notice', kind: 'unresumable', message: 'library words' }),
    ).toBe(
      'this download cannot be resumed: the mirrors offer no SHA-256 and no strong ETag, ' +
        'so nothing could prove on -r that they still serve the same file',
    );
    expect(
      formatEngineEvent({
        event: 'notice',
        kind: 'replacing-partial',
        message: 'library words',
        partPath: '/o/f.part',
      }),
    ).toBe('replacing the partial download /o/f.part (use -r to resume it instead)');
    expect(formatEngineEvent({ event: 'waiting', waitMs: 60_000 })).toBe(
      'all servers are unreachable; waiting up to 60 s for one to come back',
    );
    expect(
      formatEngineEvent({
        event: 'started',
        path: '/o/f',
        size: 10,
        fragmentSize: 4,
        fragments: 3,
        resumedBytes: 4,
        verification: 'digest',
      }),
    ).toBe(
      'downloading /o/f: 10 bytes in 3 fragments of 4 bytes (the whole file checked by SHA-256), resuming with 4 bytes already verified',
    );
  });
});

describe('shouldSkipOptimizingCompiler', () => {
  it.each([
    [[], true],
    [['--trace-opt', '--max-old-space-size=64', '--expose-gc'], true],
    [['--turbofan'], false],
    [['--opt'], false],
    [['--no-opt'], false],
    [['--no_turbofan'], false],
    [['--max-opt=3'], false],
    [['--jitless'], false],
    [['--maglev'], false],
    [['--optimize-for-size'], true],
  ] as const)('node %j → %s', (execArgv, expected) => {
    expect(shouldSkipOptimizingCompiler(execArgv)).toBe(expected);
  });
});
