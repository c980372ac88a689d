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

describe('FragmentStore: the record of done fragments', () => {
  function part() {
    const writes: Array<[number, number]> = [];
    return {
      writes,
      path: '/p.part',
      write: async (position: number, bytes: Uint8Array) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        writes.push([position, bytes.byteLength]);
      },
      sync: async () => {},
    };
  }

  it('counts written fragments once, resumed ones as durable, and is complete at the last one', () => {
    const s = new FragmentStore({
      plan,
      part: part() as never,
      manifest: undefined,
      manifestPath: '/m.json',
      done: [1],
    });
    expect(s).toMatchObject({ resumedBytes: 1000, doneBytes: 1000, durableBytes: 1000 });
    s.markWritten(0);
    s.markWritten(0);
    expect(s.doneBytes).toBe(2000);
    expect(s.complete).toBe(false);
    s.markWritten(2);
    expect(s.doneFragments()).toEqual([0, 1, 2]);
    expect(s.complete).toBe(true);
  });

  it('an endgame copy is written after the writer it beat, and only then counts', async () => {
    const p = part();
    const s = new FragmentStore({
      plan,
      part: p as never,
      manifest: undefined,
      manifestPath: '/m',
    });
    const original = s.fence(2);
    const accepted = s.accept(2, new Uint8Array(500));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(p.writes).toEqual([]);
    expect(s.isDone(2)).toBe(false);
    original.release();
    await accepted;
    expect(p.writes).toEqual([[2000, 500]]);
    expect(s.isDone(2)).toBe(true);
  });
});
