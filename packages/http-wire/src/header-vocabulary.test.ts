import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html-escape.js';
import {
  describedByUrl,
  duplicateMirrors,
  formatDescribedByLink,
  formatDuplicateLinks,
} from './link.js';
import { formatReprDigest, sha256FromReprDigest } from './repr-digest.js';
import { formatRetryAfter, MAX_RETRY_AFTER_MS, retryAfterMs } from './retry-after.js';

const DIGEST = 'X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=';

describe('sha256FromReprDigest', () => {
  it('finds sha-256 among other members and rejects malformed values', () => {
    expect(sha256FromReprDigest(`sha-512=:abc:, sha-256=:${DIGEST}:`)).toBe(DIGEST);
    expect(sha256FromReprDigest(`SHA-256 = :${DIGEST}:`)).toBe(DIGEST);
    expect(sha256FromReprDigest('sha-256=:short=:')).toBeUndefined();
    expect(sha256FromReprDigest(null)).toBeUndefined();
  });

  it('reads what formatReprDigest writes', () => {
    expect(formatReprDigest(DIGEST)).toBe(`sha-256=:${DIGEST}:`);
    expect(sha256FromReprDigest(formatReprDigest(DIGEST))).toBe(DIGEST);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP-dates, capped at a minute', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs('86400', 0)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 20_000)).toBe(0);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });

  it('formatRetryAfter writes whole seconds, rounded up, at least one', () => {
    expect(formatRetryAfter(1)).toBe('1');
    expect(formatRetryAfter(2.1)).toBe('3');
    expect(formatRetryAfter(0)).toBe('1');
    expect(retryAfterMs(formatRetryAfter(5), 0)).toBe(5000);
  });
});

describe('Link writers', () => {
  it('formatDuplicateLinks lists origins by pri, and duplicateMirrors reads them back', () => {
    const value = formatDuplicateLinks(['http://a:1', 'http://b:2'], '/f?x=1');
    expect(value).toBe(
      '<http://a:1/f?x=1>; rel=duplicate; pri=1, <http://b:2/f?x=1>; rel=duplicate; pri=2',
    );
    expect(duplicateMirrors([value!], 'http://lb/')).toEqual([
      'http://a:1/f?x=1',
      'http://b:2/f?x=1',
    ]);
    expect(formatDuplicateLinks([], '/f')).toBeUndefined();
  });

  it('formatDescribedByLink is found by describedByUrl', () => {
    const value = formatDescribedByLink('/.lb/fragment-map/a.bin');
    expect(value).toBe('</.lb/fragment-map/a.bin>; rel="describedby"');
    expect(describedByUrl([value], 'http://h:9/a.bin')).toBe('http://h:9/.lb/fragment-map/a.bin');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters and returns other text unchanged', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    const plain = 'http://s1:8080/file.bin';
    expect(escapeHtml(plain)).toBe(plain);
  });
});
