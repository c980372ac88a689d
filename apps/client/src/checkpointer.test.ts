import { planWithFragmentSize } from '@lb/segments';
import { describe, expect, it } from 'vitest';
import { Checkpointer } from './checkpointer.js';

/** Fakes that log the order of the calls that matter for crash safety. */
function fakes(failSave = false) {
  const calls: string[] = [];
  const part = { sync: async () => void calls.push('sync') };
  const manifest = {
    markDone: (index: number) => void calls.push(`markDone ${index}`),
    save: async (path: string) => {
      calls.push(`save ${path}`);
      if (failSave) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    },
  };
  return { calls, part, manifest };
}

const plan = planWithFragmentSize(2500, 1000);

describe('Checkpointer', () => {
  it('fsyncs the data before recording it, then saves; counts the saved bytes', async () => {
    const { calls, part, manifest } = fakes();
    const checkpointer = new Checkpointer(part as never, manifest as never, '/m.json', plan, 1000);
    checkpointer.written(2);
    checkpointer.written(1);
    await checkpointer.save(false);
    expect(calls).toEqual(['sync', 'markDone 2', 'markDone 1', 'save /m.json']);
    expect(checkpointer.savedBytes).toBe(1000 + 500 + 1000);
  });

  it('does nothing without news unless forced', async () => {
    const { calls, part, manifest } = fakes();
    const checkpointer = new Checkpointer(part as never, manifest as never, '/m.json', plan, 0);
    await checkpointer.save(false);
    expect(calls).toEqual([]);
    await checkpointer.save(true);
    expect(calls).toEqual(['sync', 'save /m.json']);
  });

  it('saves never overlap, and a failed save does not block the next', async () => {
    const { calls, part, manifest } = fakes(true);
    const checkpointer = new Checkpointer(part as never, manifest as never, '/m.json', plan, 0);
    checkpointer.written(0);
    const first = checkpointer.save(false);
    const second = checkpointer.save(true);
    await expect(first).rejects.toThrow('disk full');
    await expect(second).rejects.toThrow('disk full');
    expect(calls).toEqual(['sync', 'markDone 0', 'save /m.json', 'sync', 'save /m.json']);
    expect(checkpointer.savedBytes).toBe(0);
  });

  it('without a manifest (no digest offered) there is nothing to save', async () => {
    const { calls, part } = fakes();
    const checkpointer = new Checkpointer(part as never, undefined, '/m.json', plan, 0);
    checkpointer.written(0);
    await checkpointer.save(true);
    expect(calls).toEqual([]);
  });
});
