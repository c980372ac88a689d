import { planWithFragmentSize } from '@lb/segments';
import { describe, expect, it } from 'vitest';
import { FragmentStore } from './fragment-store.js';

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

/** A store over the fakes; `doneBytes` of the first fragments already durable (resumed). */
function store(part: object, manifest: object | undefined, doneBytes: number): FragmentStore {
  const done = doneBytes === 0 ? [] : [0];
  return new FragmentStore({
    plan,
    part: part as never,
    manifest: manifest as never,
    manifestPath: '/m.json',
    done,
  });
}

describe('FragmentStore: checkpoints', () => {
  it('fsyncs the data before recording it, then saves; counts the saved bytes', async () => {
    const { calls, part, manifest } = fakes();
    const checkpointer = store(part, manifest, 1000);
    checkpointer.markWritten(2);
    checkpointer.markWritten(1);
    await checkpointer.save(false);
    expect(calls).toEqual(['sync', 'markDone 2', 'markDone 1', 'save /m.json']);
    expect(checkpointer.durableBytes).toBe(1000 + 500 + 1000);
  });

  it('does nothing without news unless forced', async () => {
    const { calls, part, manifest } = fakes();
    const checkpointer = store(part, manifest, 0);
    await checkpointer.save(false);
    expect(calls).toEqual([]);
    await checkpointer.save(true);
    expect(calls).toEqual(['sync', 'save /m.json']);
  });

  it('saves never overlap, and a failed save does not block the next', async () => {
    const { calls, part, manifest } = fakes(true);
    const checkpointer = store(part, manifest, 0);
    checkpointer.markWritten(0);
    const first = checkpointer.save(false);
    const second = checkpointer.save(true);
    await expect(first).rejects.toThrow('disk full');
    await expect(second).rejects.toThrow('disk full');
    expect(calls).toEqual(['sync', 'markDone 0', 'save /m.json', 'sync', 'save /m.json']);
    expect(checkpointer.durableBytes).toBe(0);
  });

  it('without a manifest (no digest offered) there is nothing to save', async () => {
    const { calls, part } = fakes();
    const checkpointer = store(part, undefined, 0);
    checkpointer.markWritten(0);
    await checkpointer.save(true);
    expect(calls).toEqual([]);
  });
});
