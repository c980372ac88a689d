import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, isLogLevel, LOG_LEVELS } from './logger.js';

function lines(stream: PassThrough): () => Array<Record<string, unknown>> {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('log levels', () => {
  it("are pino's, silent last", () => {
    expect(LOG_LEVELS).toEqual(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
    expect(isLogLevel('warn')).toBe(true);
    expect(isLogLevel('verbose')).toBe(false);
  });
});

describe('createLogger', () => {
  it('writes JSON lines at the level, without base fields unless named', () => {
    const stream = new PassThrough();
    const read = lines(stream);
    const logger = createLogger({ level: 'warn', destination: stream });
    logger.info('hidden');
    logger.warn({ port: 1 }, 'shown');
    const [line, ...rest] = read();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 40, msg: 'shown', port: 1 });
    expect(line).not.toHaveProperty('pid');
  });

  it('with a name, keeps name, pid and hostname', () => {
    const stream = new PassThrough();
    const read = lines(stream);
    createLogger({ level: 'info', destination: stream, name: 'lb-x' }).info('hello');
    expect(read()[0]).toMatchObject({ name: 'lb-x', pid: process.pid, msg: 'hello' });
  });
});
