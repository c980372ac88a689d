import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

function drain<T>(queue: EventQueue<T>): Array<[number, T]> {
  const out: Array<[number, T]> = [];
  while (queue.size > 0) {
    const time = queue.peekTime()!;
    out.push([time, queue.pop()!]);
  }
  return out;
}

describe('EventQueue', () => {
  it('pops in time order', () => {
    const queue = new EventQueue<string>();
    queue.push(5, 'c');
    queue.push(1, 'a');
    queue.push(3, 'b');
    expect(drain(queue)).toEqual([
      [1, 'a'],
      [3, 'b'],
      [5, 'c'],
    ]);
  });

  it('pops events at equal times in push order', () => {
    const queue = new EventQueue<number>();
    for (let i = 0; i < 100; i++) queue.push(i % 3, i);
    const popped = drain(queue);
    const expected = [0, 1, 2].flatMap((t) =>
      Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 3 === t),
    );
    expect(popped.map(([, item]) => item)).toEqual(expected);
  });

  it('is empty when new and after draining', () => {
    const queue = new EventQueue<number>();
    expect(queue.size).toBe(0);
    expect(queue.peekTime()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
    queue.push(1, 1);
    queue.pop();
    expect(queue.pop()).toBeUndefined();
  });

  it('rejects a NaN time', () => {
    expect(() => new EventQueue<number>().push(Number.NaN, 1)).toThrow(RangeError);
  });

  it('matches a stable sort for any interleaving of pushes and pops', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }),
        (ops) => {
          const queue = new EventQueue<number>();
          // Reference model: an array kept sorted by (time, push order).
          const model: Array<{ time: number; id: number }> = [];
          let id = 0;
          for (const op of ops) {
            if (op === -1) {
              const expected = model.shift();
              expect(queue.peekTime()).toBe(expected?.time);
              expect(queue.pop()).toBe(expected?.id);
            } else {
              queue.push(op, id);
              let at = model.length;
              while (at > 0 && model[at - 1]!.time > op) at--;
              model.splice(at, 0, { time: op, id });
              id++;
            }
            expect(queue.size).toBe(model.length);
          }
        },
      ),
    );
  });
});
