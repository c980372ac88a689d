import { describe, expect, test } from 'vitest';
import { HeaderList } from './headers.js';

describe('HeaderList', () => {
  const list = new HeaderList(['Host', 'a', 'Accept', 'text/html', 'accept', '*/*', 'X-Empty', '']);

  test('keeps names, values and order exactly as received', () => {
    expect(list.raw).toEqual(['Host', 'a', 'Accept', 'text/html', 'accept', '*/*', 'X-Empty', '']);
    expect(list.size).toBe(4);
    expect([...list]).toEqual([
      ['Host', 'a'],
      ['Accept', 'text/html'],
      ['accept', '*/*'],
      ['X-Empty', ''],
    ]);
  });

  test('get ignores ASCII case and joins repeated fields with ", "', () => {
    expect(list.get('HOST')).toBe('a');
    expect(list.get('ACCEPT')).toBe('text/html, */*');
    expect(list.get('x-empty')).toBe('');
    expect(list.get('missing')).toBeNull();
  });

  test('getAll and has', () => {
    expect(list.getAll('accept')).toEqual(['text/html', '*/*']);
    expect(list.getAll('missing')).toEqual([]);
    expect(list.has('x-EMPTY')).toBe(true);
    expect(list.has('X-Empt')).toBe(false);
  });

  test('case folding is ASCII only: non-ASCII letters are not folded', () => {
    const latin = new HeaderList(['X-\xc9t\xe9', '1']);
    expect(latin.get('x-\xc9T\xe9')).toBe('1');
    expect(latin.get('x-\xe9t\xe9')).toBeNull();
  });

  test('__proto__, constructor and toString are ordinary names', () => {
    const odd = new HeaderList(['__proto__', 'p', 'constructor', 'c']);
    expect(odd.get('__proto__')).toBe('p');
    expect(odd.get('constructor')).toBe('c');
    expect(odd.get('toString')).toBeNull();
    expect(odd.has('hasOwnProperty')).toBe(false);
  });

  test('an empty list', () => {
    const empty = new HeaderList();
    expect(empty.size).toBe(0);
    expect([...empty]).toEqual([]);
    expect(empty.get('a')).toBeNull();
  });
});
