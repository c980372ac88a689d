import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatRankingTable,
  formatThroughput,
  rankingEvent,
} from './ranking-table.js';

describe('formatRankingTable', () => {
  it('lists passing servers in the given order and names the left-out ones', () => {
    const table = formatRankingTable(
      '/test.jpg',
      [
        { server: '127.0.0.1:8083', totalMs: 16.84, bytesPerSec: 16 * 1024 ** 2, share: 0.5714 },
        { server: '127.0.0.1:8082', totalMs: 64.2, bytesPerSec: 4 * 1024 ** 2, share: 0.2857 },
        { server: '127.0.0.1:8081', totalMs: 1250, bytesPerSec: 204.8 * 1024, share: 0.1429 },
      ],
      [
        {
          server: '127.0.0.1:9',
          reason: 'LB_WIRE_CONNECT_FAILED: Connecting to 127.0.0.1:9 failed: ECONNREFUSED',
        },
      ],
    );
    expect(table).toBe(
      [
        'performance test: GET /test.jpg from 4 servers',
        'rank  server             time   throughput  share',
        '   1  127.0.0.1:8083  16.8 ms   16.0 MiB/s  57.1%',
        '   2  127.0.0.1:8082  64.2 ms    4.0 MiB/s  28.6%',
        '   3  127.0.0.1:8081   1.25 s  204.8 KiB/s  14.3%',
        'left out: 127.0.0.1:9 (LB_WIRE_CONNECT_FAILED: Connecting to 127.0.0.1:9 failed: ECONNREFUSED)',
      ].join('\n'),
    );
  });

  it('says so when no server passed', () => {
    expect(formatRankingTable('/t', [], [{ server: 'a:1', reason: 'X: y' }])).toBe(
      ['performance test: GET /t from 1 server', 'no server passed', 'left out: a:1 (X: y)'].join(
        '\n',
      ),
    );
  });
});

describe('rankingEvent (--json)', () => {
  it('is one JSON object: ranked servers with time, throughput and share, then the left-out', () => {
    const event = rankingEvent(
      '/test.jpg',
      [
        { server: '127.0.0.1:8083', totalMs: 16.84321, bytesPerSec: 16777216.4, share: 4 / 7 },
        { server: '127.0.0.1:8082', totalMs: 64.2, bytesPerSec: 4194304, share: 3 / 7 },
      ],
      [{ server: '127.0.0.1:9', reason: 'LB_WIRE_CONNECT_FAILED: refused' }],
    );
    expect(JSON.stringify(event)).toBe(
      '{"event":"ranking","probePath":"/test.jpg","servers":[' +
        '{"rank":1,"server":"127.0.0.1:8083","totalMs":16.843,"bytesPerSec":16777216,"share":0.571429},' +
        '{"rank":2,"server":"127.0.0.1:8082","totalMs":64.2,"bytesPerSec":4194304,"share":0.428571}],' +
        '"leftOut":[{"server":"127.0.0.1:9","reason":"LB_WIRE_CONNECT_FAILED: refused"}]}',
    );
  });
});

describe('units', () => {
  it('formats throughput in binary units and durations in ms or s', () => {
    expect(formatThroughput(96.4)).toBe('96 B/s');
    expect(formatThroughput(1536)).toBe('1.5 KiB/s');
    expect(formatThroughput(3 * 1024 ** 3)).toBe('3.0 GiB/s');
    expect(formatDuration(999.94)).toBe('999.9 ms');
    expect(formatDuration(61_000)).toBe('61.00 s');
  });
});
