import { describe, expect, it } from 'vitest';
import { CliError, errorLine, exitCodeFor } from './exit-codes.js';

class AppError extends CliError<'LB_DEMO_X' | 'LB_DEMO_Y'> {}
class XError extends AppError {
  declare readonly code: 'LB_DEMO_X';
  constructor(message: string, cause?: unknown) {
    super('LB_DEMO_X', message, { exitCode: 4, cause });
  }
}

describe('CliError', () => {
  it('takes its name from the class, its code and exit code from the constructor', () => {
    const cause = new Error('root');
    const error = new XError('went wrong', cause);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'XError', code: 'LB_DEMO_X', exitCode: 4, cause });
    expect(error.message).toBe('went wrong');
    expect(new AppError('LB_DEMO_Y', 'plain')).toMatchObject({ name: 'AppError', exitCode: 1 });
    expect('cause' in new AppError('LB_DEMO_Y', 'no cause')).toBe(false);
  });
});

describe('exitCodeFor', () => {
  it("reads an error's own exitCode first", () => {
    expect(exitCodeFor(new XError('x'))).toBe(4);
    expect(exitCodeFor(new XError('x'), { LB_DEMO_X: 9 })).toBe(4);
  });

  it("maps other packages' codes through the table", () => {
    const table = { LB_RANKING_INVALID_OPTION: 2 };
    expect(
      exitCodeFor(Object.assign(new Error('x'), { code: 'LB_RANKING_INVALID_OPTION' }), table),
    ).toBe(2);
    expect(exitCodeFor({ code: 'LB_RANKING_OTHER' }, table)).toBe(1);
    expect(exitCodeFor({ code: 'toString' }, table)).toBe(1);
  });

  it('is 1 for anything else', () => {
    expect(exitCodeFor(new Error('x'))).toBe(1);
    expect(exitCodeFor({ exitCode: 2.5 })).toBe(1);
    expect(exitCodeFor(null)).toBe(1);
    expect(exitCodeFor('text')).toBe(1);
  });
});

describe('errorLine', () => {
  it('prints the message of a coded error and the stack of anything else', () => {
    expect(errorLine('lb-x', new XError('port busy'))).toBe('lb-x: port busy');
    const bug = new TypeError('undefined is not a function');
    expect(errorLine('lb-x', bug)).toBe(`lb-x: unexpected error: ${bug.stack}`);
    expect(errorLine('lb-x', 'text')).toBe('lb-x: unexpected error: text');
  });
});
