import { describe, expect, it } from 'vitest';
import {
  formatListeningLine,
  formatStatusBlock,
  formatStatusLine,
  jsonLine,
  listeningEvent,
  statusEvent,
} from './status-report.js';

describe('status report', () => {
  it('formats a line exactly as the issue demands', () => {
    expect(formatStatusLine({ number: 1, port: 8001, alive: true })).toBe(
      'Server 1: Port: 8001 Status: alive, To Shutdown Server 1 Enter: E1',
    );
    expect(formatStatusLine({ number: 3, port: 9003, alive: false })).toBe(
      'Server 3: Port: 9003 Status: dead, To Shutdown Server 3 Enter: E3',
    );
  });

  it('prints one line per server, in order', () => {
    expect(
      formatStatusBlock([
        { number: 1, port: 1, alive: true },
        { number: 2, port: 2, alive: false },
      ]),
    ).toBe(
      'Server 1: Port: 1 Status: alive, To Shutdown Server 1 Enter: E1\n' +
        'Server 2: Port: 2 Status: dead, To Shutdown Server 2 Enter: E2\n',
    );
  });

  it('brackets IPv6 hosts in the listening line', () => {
    expect(formatListeningLine('127.0.0.1', 8080)).toBe('listening on http://127.0.0.1:8080');
    expect(formatListeningLine('::1', 8080)).toBe('listening on http://[::1]:8080');
  });

  it('--json: the status block and the listening line as one JSON object per line', () => {
    expect(
      jsonLine(
        statusEvent([
          { number: 1, port: 8001, alive: true },
          { number: 2, port: 8002, alive: false },
        ]),
      ),
    ).toBe(
      '{"event":"status","servers":[{"server":1,"port":8001,"status":"alive"},{"server":2,"port":8002,"status":"dead"}]}\n',
    );
    expect(jsonLine(listeningEvent('127.0.0.1', 8080))).toBe(
      '{"event":"listening","url":"http://127.0.0.1:8080"}\n',
    );
    expect(jsonLine(listeningEvent('::1', 8002, 2))).toBe(
      '{"event":"listening","server":2,"url":"http://[::1]:8002"}\n',
    );
  });
});
