import { describe, expect, it } from 'vitest';
import { parseStatusLine, StatusBlockReader } from './server-status.js';

const line = (k: number, port: number, status: 'alive' | 'dead') =>
  `Server ${k}: Port: ${port} Status: ${status}, To Shutdown Server ${k} Enter: E${k}`;

describe('parseStatusLine', () => {
  it("reads lb-server's status line", () => {
    expect(parseStatusLine(line(4, 41411, 'dead'))).toEqual({
      server: 4,
      port: 41411,
      alive: false,
    });
    expect(parseStatusLine('listening on http://127.0.0.1:8001')).toBeUndefined();
    expect(parseStatusLine('Server 4 shut down.')).toBeUndefined();
  });
});

describe('StatusBlockReader', () => {
  it('returns a block once all n servers are listed', () => {
    const reader = new StatusBlockReader(2);
    expect(reader.push(line(1, 8001, 'alive'))).toBeUndefined();
    const block = reader.push(line(2, 8002, 'dead'));
    expect(block?.statuses.map((status) => [status.port, status.alive])).toEqual([
      [8001, true],
      [8002, false],
    ]);
    expect(block?.lines).toEqual([line(1, 8001, 'alive'), line(2, 8002, 'dead')]);
  });

  it('drops a partial block when a new one starts', () => {
    const reader = new StatusBlockReader(3);
    reader.push(line(1, 8001, 'alive'));
    reader.push(line(2, 8002, 'alive'));
    expect(reader.push(line(1, 8001, 'alive'))).toBeUndefined();
    expect(reader.push(line(2, 8002, 'alive'))).toBeUndefined();
    expect(reader.push(line(3, 8003, 'alive'))?.statuses).toHaveLength(3);
  });
});
