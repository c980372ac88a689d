import { describe, expect, it } from 'vitest';
import { livePool } from '../test/pool-fixtures.js';
import { RedirectRouter, type RequestFacts } from './redirect-router.js';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const DATE = 'Fri, 02 Jan 2026 03:04:05 GMT';

/** A pool of live servers (`line`, probe time) and a router over it. */
function setup(servers: Array<[string, number]>, strategy = 'round-robin') {
  const pool = livePool(servers, strategy);
  const router = new RedirectRouter(pool, { retryAfterSeconds: 30, wallClock: () => NOW });
  const ask = (target: string, method = 'GET', extra: Partial<RequestFacts> = {}) =>
    router.respond({ method, target, close: false, echoKeepAlive: false, ...extra });
  return { pool, router, ask };
}

function parse(response: string) {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const [statusLine, ...fields] = head.split('\r\n');
  return { statusLine, fields, body };
}

describe('redirects', () => {
  it('answers the exact 301 message', () => {
    const { ask } = setup([
      ['127.0.0.1:8081', 30],
      ['127.0.0.1:8082', 10],
      ['127.0.0.1:8083', 20],
    ]);
    const response = ask('/dir/file.iso?x=1&y=<2>');
    const body =
      '<!DOCTYPE html>\n' +
      '<html><head><title>301 Moved Permanently</title></head>\n' +
      '<body><h1>Moved Permanently</h1><p>The document has moved ' +
      '<a href="http://127.0.0.1:8081/dir/file.iso?x=1&amp;y=&lt;2&gt;">here</a>.</p></body></html>\n';
    expect(response).toBe(
      'HTTP/1.1 301 Moved Permanently\r\n' +
        'Location: http://127.0.0.1:8081/dir/file.iso?x=1&y=<2>\r\n' +
        'Cache-Control: no-store\r\n' +
        'Link: <http://127.0.0.1:8082/dir/file.iso?x=1&y=<2>>; rel=duplicate; pri=1, ' +
        '<http://127.0.0.1:8083/dir/file.iso?x=1&y=<2>>; rel=duplicate; pri=2\r\n' +
        'Content-Type: text/html; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `Date: ${DATE}\r\n` +
        '\r\n' +
        body,
    );
  });

  it('sends the same head without a body for HEAD', () => {
    const { ask } = setup([['127.0.0.1:8081', 1]]);
    const get = parse(ask('/a'));
    const head = ask('/a', 'HEAD');
    expect(head.endsWith('\r\n\r\n')).toBe(true);
    expect(parse(head).fields).toEqual(get.fields);
    expect(get.fields).not.toContainEqual(expect.stringMatching(/^Link:/));
  });

  it('says Connection: close when closing, and keep-alive to an HTTP/1.0 client that asked', () => {
    const { ask } = setup([['127.0.0.1:8081', 1]]);
    expect(parse(ask('/a', 'GET', { close: true })).fields).toContain('Connection: close');
    expect(parse(ask('/a', 'GET', { echoKeepAlive: true })).fields).toContain(
      'Connection: keep-alive',
    );
    expect(parse(ask('/a')).fields.some((field) => field.startsWith('Connection'))).toBe(false);
  });

  it('keeps the raw path, strips absolute-form to the path, and redirects the root', () => {
    const { ask } = setup([['127.0.0.1:8081', 1]]);
    const location = (target: string) => /\r\nLocation: (\S+)\r\n/.exec(ask(target))?.[1];
    expect(location('/a%20b/c')).toBe('http://127.0.0.1:8081/a%20b/c');
    expect(location('/')).toBe('http://127.0.0.1:8081/');
    expect(location('/?q')).toBe('http://127.0.0.1:8081/?q');
    expect(location('http://balancer.example/x?y')).toBe('http://127.0.0.1:8081/x?y');
    expect(location('HTTP://balancer.example')).toBe('http://127.0.0.1:8081/');
  });

  it('routes IPv6 servers with brackets', () => {
    const { ask } = setup([['[::1]:8081', 1]]);
    expect(ask('/f')).toContain('\r\nLocation: http://[::1]:8081/f\r\n');
  });

  it('counts redirects per server and responses per status', () => {
    const { ask, pool, router } = setup([
      ['127.0.0.1:8081', 1],
      ['127.0.0.1:8082', 2],
    ]);
    for (let i = 0; i < 10; i++) ask(`/${i}`);
    ask('/x', 'POST');
    expect(pool.all().map((server) => server.redirects)).toEqual([5, 5]);
    expect([...router.statusCounts]).toEqual([
      [301, 10],
      [405, 1],
    ]);
  });
});

describe('refusals', () => {
  it.each([
    ['POST', '/a', 405, 'POST is not supported'],
    ['PUT', '/a', 405, 'PUT is not supported'],
    ['DELETE', '/a', 405, 'DELETE is not supported'],
    ['OPTIONS', '*', 400, 'request-target must be a path'],
    ['CONNECT', 'example.com:443', 400, 'request-target must be a path'],
    ['GET', '/../etc/passwd', 403, 'traversal'],
    ['GET', '/a/%2e%2e/%2e%2e/x', 403, 'traversal'],
    ['GET', '/a%2fb', 400, 'encoded-slash'],
    ['GET', '/a%00b', 400, 'nul'],
    ['GET', '/a%zz', 400, 'bad-encoding'],
    ['GET', '/a\\b', 403, 'backslash'],
    ['GET', '/.git/config', 404, 'dotfile'],
  ])('%s %s → %i', (method, target, status, detail) => {
    const { ask } = setup([['127.0.0.1:8081', 1]]);
    const response = ask(target, method);
    const reason = {
      400: 'Bad Request',
      403: 'Forbidden',
      404: 'Not Found',
      405: 'Method Not Allowed',
    }[status];
    const body = `${status} ${reason}: ${detail}\n`;
    const allow = status === 405 ? 'Allow: GET, HEAD\r\n' : '';
    expect(response).toBe(
      `HTTP/1.1 ${status} ${reason}\r\n${allow}Cache-Control: no-store\r\n` +
        `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nDate: ${DATE}\r\n\r\n${body}`,
    );
  });

  it('answers 503 with Retry-After when no server is live', () => {
    const { ask, pool } = setup([['127.0.0.1:8081', 1]]);
    pool.setState('127.0.0.1:8081', 'down');
    const body = '503 Service Unavailable: no live server\n';
    expect(ask('/a')).toBe(
      'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nCache-Control: no-store\r\n' +
        `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nDate: ${DATE}\r\n\r\n${body}`,
    );
  });

  it('answers a parse failure with its status and Connection: close', () => {
    const { router } = setup([['127.0.0.1:8081', 1]]);
    const response = router.badRequest(431, 'malformed request (HPE_HEADER_OVERFLOW)', NOW);
    expect(response).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(response).toContain('\r\nConnection: close\r\n');
    expect(
      response.endsWith(
        '\r\n\r\n431 Request Header Fields Too Large: malformed request (HPE_HEADER_OVERFLOW)\n',
      ),
    ).toBe(true);
  });
});

describe('heartbeat', () => {
  it('is 200 with an empty body while a server is live, 503 otherwise', () => {
    const { ask, pool } = setup([['127.0.0.1:8081', 1]]);
    expect(ask('/heartbeat')).toBe(
      `HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: 0\r\nDate: ${DATE}\r\n\r\n`,
    );
    expect(ask('/heartbeat?probe=1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(ask('/heartbeat/x')).toMatch(/^HTTP\/1\.1 301 /);
    expect(ask('/heartbeat', 'POST')).toMatch(/^HTTP\/1\.1 405 /);
    pool.setState('127.0.0.1:8081', 'down');
    expect(ask('/heartbeat')).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\nRetry-After: 30\r\n/);
  });
});

describe('regions', () => {
  const servers: Array<[string, number]> = [
    ['127.0.0.1:8081 region=eu', 30],
    ['127.0.0.1:8082 region=us', 5],
    ['127.0.0.1:8083 region=eu', 10],
    ['127.0.0.1:8084', 1],
  ];
  const location = (response: string) => /\r\nLocation: (\S+)\r\n/.exec(response)?.[1];
  const link = (response: string) => /\r\nLink: ([^\r]+)\r\n/.exec(response)?.[1];

  it('routes /r/<region>/<path> to the live servers of that region only', () => {
    const { ask } = setup(servers);
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 20; i++) {
      seen.add(location(ask(`/r/eu/f${i}.bin?k=${i}`))?.replace(/\/f\d+\.bin\?k=\d+$/, ''));
    }
    expect([...seen].sort()).toEqual(['http://127.0.0.1:8081', 'http://127.0.0.1:8083']);
    const response = ask('/r/eu/a/b.bin');
    expect(location(response)).toMatch(/^http:\/\/127\.0\.0\.1:808[13]\/a\/b\.bin$/);
    // The Link header lists only the other server of the region.
    expect(link(response)).toMatch(
      /^<http:\/\/127\.0\.0\.1:808[13]\/a\/b\.bin>; rel=duplicate; pri=1$/,
    );
    expect(location(ask('/r/us'))).toBe('http://127.0.0.1:8082/');
    expect(location(ask('/r/us/'))).toBe('http://127.0.0.1:8082/');
    expect(location(ask('/r/us?x=1'))).toBe('http://127.0.0.1:8082/?x=1');
  });

  it('routes /r/<region>/<machine>/<path> by number or by host:port', () => {
    const { ask } = setup(servers);
    expect(location(ask('/r/eu/1/file.bin'))).toBe('http://127.0.0.1:8081/file.bin');
    expect(location(ask('/r/eu/2/file.bin?v=2'))).toBe('http://127.0.0.1:8083/file.bin?v=2');
    expect(location(ask('/r/eu/2'))).toBe('http://127.0.0.1:8083/');
    expect(location(ask('/r/eu/127.0.0.1:8083/x'))).toBe('http://127.0.0.1:8083/x');
    expect(link(ask('/r/eu/1/file.bin'))).toBeUndefined();
  });

  it('answers 404 for an unknown region or machine and 503 for a dead one', () => {
    const { ask, pool } = setup(servers);
    expect(ask('/r/asia/x')).toMatch(
      /^HTTP\/1\.1 404 Not Found\r\n[\s\S]*\r\n\r\n404 Not Found: unknown region "asia"\n$/,
    );
    expect(ask('/r/')).toContain('404 Not Found: unknown region ""\n');
    expect(ask('/r/e%75/x')).toContain('404 Not Found: unknown region "e%75"\n');
    expect(ask('/r/eu/3/x')).toContain('404 Not Found: unknown machine 3 in region "eu"\n');
    expect(ask('/r/eu/0/x')).toMatch(/^HTTP\/1\.1 301 /); // `0` is no machine number: a path
    pool.setState('127.0.0.1:8081', 'down');
    expect(ask('/r/eu/1/x')).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\nRetry-After: 30\r\n/);
    expect(ask('/r/eu/1/x')).toContain(
      '503 Service Unavailable: machine 1 in region "eu" is down\n',
    );
    expect(location(ask('/r/eu/x'))).toBe('http://127.0.0.1:8083/x');
    pool.setState('127.0.0.1:8083', 'down');
    expect(ask('/r/eu/x')).toContain('503 Service Unavailable: no live server in region "eu"\n');
    expect(location(ask('/x'))).toMatch(/^http:\/\/127\.0\.0\.1:808[24]\/x$/);
  });

  it('refuses traversal inside a region route', () => {
    const { ask } = setup(servers);
    expect(ask('/r/eu/1/../../x')).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
  });
});

describe('consistent-hash', () => {
  it('sends the same path to the same server, whatever the query', () => {
    const { ask } = setup(
      [
        ['127.0.0.1:8081', 1],
        ['127.0.0.1:8082', 1],
        ['127.0.0.1:8083', 1],
      ],
      'consistent-hash',
    );
    const location = (target: string) => /\r\nLocation: (http:\/\/[^/]+)/.exec(ask(target))?.[1];
    const owners = new Map<string, string | undefined>();
    for (let i = 0; i < 60; i++) owners.set(`/files/${i}.bin`, location(`/files/${i}.bin`));
    for (const [path, owner] of owners) {
      expect(location(path)).toBe(owner);
      expect(location(`${path}?t=${path.length}`)).toBe(owner);
      expect(location(`/files/./${path.slice(7)}`)).toBe(owner);
    }
    expect(new Set(owners.values()).size).toBe(3);
  });
});
