/**
 * The number of requests in flight to one endpoint (tower's `PendingRequests` load).
 * `start()` counts a request and returns its release; releasing twice counts once, so a caller
 * that calls `done` twice cannot drive the count negative.
 */
export class PendingRequests {
  #count = 0;

  get count(): number {
    return this.#count;
  }

  start(): () => void {
    this.#count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#count--;
    };
  }
}
