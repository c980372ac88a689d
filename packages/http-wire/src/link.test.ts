import { describe, expect, it } from 'vitest';
import { describedByUrl, duplicateMirrors, hasRelation, parseLinkHeader } from './link.js';

describe('parseLinkHeader', () => {
  it('reads targets and parameters, unquoting values and lower-casing names', () => {
    const [link] = parseLinkHeader(['<http://a:1/f>; REL="duplicate"; pri=2; title="x, y; z"']);
    expect(link!.target).toBe('http://a:1/f');
    expect(Object.fromEntries(link!.params)).toEqual({
      rel: 'duplicate',
      pri: '2',
      title: 'x, y; z',
    });
  });

  it('splits several values on commas outside brackets and quotes, across header lines', () => {
    const links = parseLinkHeader([
      '<http://a/x,y>; rel=duplicate, <http://b/>; rel="a b"',
      '<http://c/>;rel=describedby',
    ]);
    expect(links.map((l) => l.target)).toEqual(['http://a/x,y', 'http://b/', 'http://c/']);
  });

  it('skips malformed values and keeps the good ones', () => {
    const links = parseLinkHeader([
      'garbage, <http://ok/>; rel=duplicate, <http://bad/>; =x, <http://also/>',
    ]);
    expect(links.map((l) => l.target)).toEqual(['http://ok/', 'http://also/']);
  });

  it('the first occurrence of a parameter wins', () => {
    const [link] = parseLinkHeader(['<x>; rel=a; rel=b']);
    expect(link!.params.get('rel')).toBe('a');
  });

  it('an unterminated quoted string or bracket ends the value', () => {
    expect(parseLinkHeader(['<http://a/>; rel="dup'])).toEqual([]);
    expect(parseLinkHeader(['<http://a/'])).toEqual([]);
  });
});

describe('hasRelation', () => {
  it('matches one relation of a space-separated list, ignoring case', () => {
    const [link] = parseLinkHeader(['<x>; rel="Alternate DUPLICATE"']);
    expect(hasRelation(link!, 'duplicate')).toBe(true);
    expect(hasRelation(link!, 'describedby')).toBe(false);
  });
});

describe('duplicateMirrors', () => {
  it('returns rel=duplicate URLs by pri, then header order, resolved and de-duplicated', () => {
    const value =
      '<http://s3/f>; rel=duplicate; pri=3, <http://s1/f>; rel=duplicate; pri=1, ' +
      '</local/f>; rel=duplicate, <http://s2/f>; rel=duplicate; pri=1, <http://s1/f>; rel=duplicate; pri=2, ' +
      '<http://other/>; rel=describedby, <https://tls/f>; rel=duplicate; pri=0';
    expect(duplicateMirrors([value], 'http://base:8080/dir/f')).toEqual([
      'http://s1/f',
      'http://s2/f',
      'http://s3/f',
      'http://base:8080/local/f',
    ]);
  });

  it('is empty without Link fields', () => {
    expect(duplicateMirrors([], 'http://a/')).toEqual([]);
  });
});

describe('describedByUrl', () => {
  it("resolves lb-server's fragment map link", () => {
    expect(
      describedByUrl(['</.lb/fragment-map/a%20b.bin>; rel="describedby"'], 'http://h:9/a%20b.bin'),
    ).toBe('http://h:9/.lb/fragment-map/a%20b.bin');
    expect(describedByUrl(['<x>; rel=duplicate'], 'http://h/')).toBeUndefined();
  });
});
