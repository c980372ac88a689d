/**
 * 10,000 concurrent keep-alive client connections: each gets an answer, all stay open together
 * (the balancer counts them), and each answers again on the same connection.
 *
 * The test process holds 10,000 sockets and the balancer another 10,000, so both need an fd limit
 * above that: the balancer's soft limit is raised to the hard limit through a shell; the test
 * process cannot raise its own, so the test skips (saying why) when its limit is too low.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  type LbServer,
  type RunningBalancer,
  startBalancer,
  startLbServer,
  useRoot,
} from './processes.js';

const CONNECTIONS = 10_000;
const NEEDED_FDS = CONNECTIONS + 500;

function fdLimits(): { soft: number; hard: number } {
  const read = (flag: string) => {
    const text = execFileSync('/bin/sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
  };
  return { soft: read('-Sn'), hard: read('-Hn') };
}

const limits = fdLimits();
const skipReason =
  limits.soft < NEEDED_FDS
    ? `the test process may open ${limits.soft} files (ulimit -n), it needs ${NEEDED_FDS}; raise it with ulimit -n before running`
    : limits.hard < NEEDED_FDS
      ? `the hard fd limit is ${limits.hard}, the balancer needs ${NEEDED_FDS}`
      : undefined;
if (skipReason) console.log(`skipping the 10,000 connections test: ${skipReason}`);

const root = useRoot({}, 4 * 1024);
let server: LbServer;
let balancer: RunningBalancer;

beforeAll(async () => {
  if (skipReason) return;
  server = await startLbServer(root.dir);
  balancer = await startBalancer(
    [
      '--port',
      '0',
      '--admin-port',
      '0',
      '--idle-timeout',
      '600',
      '--probe-interval',
      '3600',
      server.id,
    ],
    {},
    { fdLimit: Math.min(limits.hard, 1_048_576) },
  );
}, 60_000);

afterAll(async () => {
  await balancer?.stop();
  await server?.kill();
});

/** One client socket that can wait for the next complete response. */
class Client {
  readonly socket: net.Socket;
  #buffer = '';
  #waiter: ((response: string) => void) | null = null;
  error: Error | null = null;
  closed = false;

  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.on('data', (chunk) => {
      this.#buffer += chunk.toString('latin1');
      this.#deliver();
    });
    this.socket.on('error', (error) => {
      this.error = error;
    });
    this.socket.on('close', () => {
      this.closed = true;
    });
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }

  request(path: string): Promise<string> {
    const response = new Promise<string>((resolve) => {
      this.#waiter = resolve;
    });
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: lb\r\n\r\n`);
    this.#deliver();
    return response;
  }

  #deliver(): void {
    const headEnd = this.#buffer.indexOf('\r\n\r\n');
    if (headEnd < 0 || this.#waiter === null) return;
    const length = Number(
      /\r\nContent-Length: (\d+)/.exec(this.#buffer.slice(0, headEnd))?.[1] ?? 0,
    );
    if (this.#buffer.length < headEnd + 4 + length) return;
    const response = this.#buffer.slice(0, headEnd + 4 + length);
    this.#buffer = this.#buffer.slice(headEnd + 4 + length);
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter(response);
  }
}

describe.skipIf(skipReason !== undefined)('10,000 keep-alive connections', () => {
  it('holds them all at once without error', async () => {
    const clients: Client[] = [];
    try {
      // Connect in batches so the accept backlog is never the thing being tested.
      for (let start = 0; start < CONNECTIONS; start += 500) {
        const batch = Array.from(
          { length: Math.min(500, CONNECTIONS - start) },
          () => new Client(balancer.port),
        );
        await Promise.all(batch.map((client) => client.connected()));
        const answers = await Promise.all(
          batch.map((client, i) => client.request(`/first/${start + i}`)),
        );
        for (const answer of answers)
          expect(answer.startsWith('HTTP/1.1 301 Moved Permanently\r\n')).toBe(true);
        clients.push(...batch);
      }
      const { text } = await admin(balancer.adminUrl!, '/metrics');
      expect(Number(/^lb_balancer_client_connections (\d+)$/m.exec(text)?.[1])).toBe(CONNECTIONS);

      // Every connection is still usable.
      for (let start = 0; start < CONNECTIONS; start += 1000) {
        const batch = clients.slice(start, start + 1000);
        const answers = await Promise.all(
          batch.map((client, i) => client.request(`/second/${start + i}`)),
        );
        for (const answer of answers)
          expect(answer).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n/);
      }
      expect(clients.filter((client) => client.error !== null || client.closed)).toEqual([]);
    } finally {
      for (const client of clients) client.socket.destroy();
    }
  }, 120_000);
});
