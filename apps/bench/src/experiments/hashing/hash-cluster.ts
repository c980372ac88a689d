/**
 * The replicas of the hashing experiments: single-mode lb-servers `h1…hN` over the key corpus, each
 * counting, from its own request log, the key requests it answered. Started in parallel, since each
 * is a Node process compiling its source on start.
 */
import { hostPort } from '@lb/test-kit';
import {
  parseRequestLogLine,
  type SingleServer,
  startSingleServer,
} from '../../processes/single-server.js';

export interface CountingReplica {
  label: string;
  /** `host:port`, its id in the balancer. */
  address: string;
  server: SingleServer;
  /** Key requests (path under /keys/) this server logged with a 2xx status. */
  served(): number;
  resetCount(): void;
}

export async function startCountingReplicas(
  root: string,
  count: number,
): Promise<CountingReplica[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, index) => startSingleServer({ root, id: `h${index + 1}` })),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(
      started.flatMap((result) =>
        result.status === 'fulfilled' ? [result.value.process.stop()] : [],
      ),
    );
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map((result) => {
    const server = (result as PromiseFulfilledResult<SingleServer>).value;
    let served = 0;
    server.process.onStderrLine((line) => {
      const entry = parseRequestLogLine(line);
      if (entry?.path.startsWith('/keys/') && entry.status < 300) served++;
    });
    return {
      label: server.id,
      address: hostPort(server.address),
      server,
      served: () => served,
      resetCount: () => {
        served = 0;
      },
    };
  });
}

export async function stopReplicas(replicas: readonly CountingReplica[]): Promise<void> {
  await Promise.all(replicas.map((replica) => replica.server.process.stop()));
}

/**
 * Waits until the servers' counts add up to `expected` (their logs are written asynchronously, so
 * the last lines may trail the responses by a few milliseconds), or `timeoutMs` passed.
 */
export async function settledCounts(
  replicas: readonly CountingReplica[],
  expected: number,
  timeoutMs = 5000,
): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const counts = replicas.map((replica) => replica.served());
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total >= expected || performance.now() >= deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
