import { describe, expect, it } from 'vitest';
import { PendingRequests } from './pending.js';

describe('PendingRequests', () => {
  it('counts starts and releases, each release once', () => {
    const pending = new PendingRequests();
    const first = pending.start();
    const second = pending.start();
    expect(pending.count).toBe(2);
    first();
    first();
    expect(pending.count).toBe(1);
    second();
    expect(pending.count).toBe(0);
  });
});
