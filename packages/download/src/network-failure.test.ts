import { describe, expect, it } from 'vitest';
import { describeNetworkFailure, isNetworkFailure } from './network-failure.js';

describe('describeNetworkFailure', () => {
  it.each([
    [{ code: 'LB_WIRE_CONNECT_FAILED', syscallCode: 'ECONNREFUSED' }, 'connection refused'],
    [
      { code: 'LB_WIRE_CONNECT_FAILED', syscallCode: 'ENOTFOUND', host: 'x.invalid' },
      'unknown host x.invalid',
    ],
    [{ code: 'LB_WIRE_CONNECT_FAILED', syscallCode: 'EHOSTUNREACH' }, 'host unreachable'],
    [{ code: 'LB_WIRE_CONNECT_TIMEOUT', timeoutMs: 5000 }, 'no connection within 5 s'],
    [
      { code: 'LB_WIRE_RESPONSE_TIMEOUT', phase: 'first-byte', timeoutMs: 250 },
      'no response within 0.25 s',
    ],
    [
      { code: 'LB_WIRE_RESPONSE_TIMEOUT', phase: 'body-idle', timeoutMs: 5000 },
      'the response stalled for 5 s',
    ],
    [
      { code: 'LB_WIRE_PREMATURE_CLOSE', bytesReceived: 10, expectedBytes: 20 },
      'the connection closed after 10 of 20 body bytes',
    ],
    [
      { code: 'LB_WIRE_PREMATURE_CLOSE', bytesReceived: 10, expectedBytes: null },
      'the connection closed after 10 body bytes, before the response was complete',
    ],
    [{ code: 'LB_WIRE_SOCKET', syscallCode: 'ECONNRESET' }, 'connection reset by peer'],
    [{ code: 'HPE_INVALID_STATUS' }, 'invalid HTTP response (HPE_INVALID_STATUS)'],
  ])('%j → %s', (error, text) => {
    expect(describeNetworkFailure(error)).toBe(text);
    expect(isNetworkFailure(error)).toBe(true);
  });

  it('our own mistakes are not network failures', () => {
    expect(isNetworkFailure({ code: 'LB_WIRE_INVALID_ARG' })).toBe(false);
    expect(isNetworkFailure(new Error('x'))).toBe(false);
  });
});
