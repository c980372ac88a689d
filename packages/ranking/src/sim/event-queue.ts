/**
 * Priority queue of timed events for the discrete-event simulator: a binary min-heap keyed by virtual
 * time in milliseconds. Events at the same time leave in the order they were pushed (a sequence number
 * breaks the tie), so a simulation is a pure function of its config and seed — a heap alone does not
 * promise any order among equal keys.
 *
 * Times, sequence numbers and payloads live in parallel arrays rather than one object per entry: the
 * simulator pushes millions of events and this keeps the sift loops on unboxed numbers.
 */
export class EventQueue<T> {
  readonly #times: number[] = [];
  readonly #seqs: number[] = [];
  readonly #items: T[] = [];
  #nextSeq = 0;

  /** Number of events waiting. */
  get size(): number {
    return this.#times.length;
  }

  /** Schedules `item` at virtual time `time` (ms). */
  push(time: number, item: T): void {
    if (Number.isNaN(time)) throw new RangeError('EventQueue.push: time is NaN');
    const times = this.#times;
    const seqs = this.#seqs;
    const seq = this.#nextSeq++;
    let i = times.length;
    times.push(time);
    seqs.push(seq);
    this.#items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      this.#move(parent, i);
      i = parent;
    }
    this.#place(i, time, seq, item);
  }

  /** Time of the earliest event, or `undefined` when empty. */
  peekTime(): number | undefined {
    return this.#times[0];
  }

  /** Removes and returns the earliest event (read its time with {@link peekTime} first). */
  pop(): T | undefined {
    const times = this.#times;
    const seqs = this.#seqs;
    const items = this.#items;
    const n = times.length;
    if (n === 0) return undefined;
    const top = items[0]!;
    const lastTime = times.pop()!;
    const lastSeq = seqs.pop()!;
    const lastItem = items.pop()!;
    const size = n - 1;
    if (size === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size) {
        const lt = times[left]!;
        const rt = times[right]!;
        if (rt < lt || (rt === lt && seqs[right]! < seqs[left]!)) child = right;
      }
      const ct = times[child]!;
      if (lastTime < ct || (lastTime === ct && lastSeq < seqs[child]!)) break;
      this.#move(child, i);
      i = child;
    }
    this.#place(i, lastTime, lastSeq, lastItem);
    return top;
  }

  /** Copies the entry in slot `from` to slot `to` (the sift loops' hole moves to `from`). */
  #move(from: number, to: number): void {
    this.#times[to] = this.#times[from]!;
    this.#seqs[to] = this.#seqs[from]!;
    this.#items[to] = this.#items[from]!;
  }

  #place(i: number, time: number, seq: number, item: T): void {
    this.#times[i] = time;
    this.#seqs[i] = seq;
    this.#items[i] = item;
  }
}
