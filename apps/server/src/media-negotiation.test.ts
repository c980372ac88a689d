import { describe, expect, it } from 'vitest';
import { chooseIndexFormat, qualityOf } from './media-negotiation.js';

describe('chooseIndexFormat', () => {
  it.each([
    [null, 'html'],
    ['*/*', 'html'],
    ['application/json', 'json'],
    ['application/json, text/plain, */*', 'json'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'html'],
    ['text/html;q=0.5, application/json', 'json'],
    ['application/*', 'json'],
    ['application/json;q=0', 'html'],
    ['garbage;;;', 'html'],
  ])('Accept: %j → %s', (accept, format) => {
    expect(chooseIndexFormat(accept)).toBe(format);
  });

  it('uses the most specific matching range', () => {
    expect(qualityOf('*/*;q=0.1, application/json;q=0.7', 'application/json')).toBe(0.7);
    expect(qualityOf('application/json;q=2', 'application/json')).toBe(0);
  });
});
