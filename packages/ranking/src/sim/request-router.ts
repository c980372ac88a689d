import type { Outcome, Sample } from '../types.js';

/** A routing decision: the chosen server's index and the callback to report its outcome to, if any. */
export interface RouteDecision {
  readonly server: number;
  readonly done: ((outcome: Outcome) => void) | undefined;
}

/**
 * What the simulator asks for a server and feeds back to. Implemented over a registry strategy and by
 * the join-shortest-queue oracle, so the event loop does not care which one it drives.
 */
export interface RequestRouter {
  /** Chooses a server for a request arriving at `now`, or returns `undefined` when none can be used. */
  route(now: number, hashKey: string | undefined): RouteDecision | undefined;
  /** A probe of server `server` finished at `now` with `sample`. */
  observeProbe(server: number, sample: Sample, now: number): void;
}
