/**
 * Prometheus metrics of one balancer, in its own prom-client registry (never the global one, so two
 * balancers in one process — tests — do not collide).
 *
 * The request path never touches prom-client: it bumps plain integers on the pool and the router,
 * and the counters below copy them at scrape time. Label hashing per redirect would cost more than
 * the redirect itself.
 */

import type { ProbeResult } from '@lb/probe';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerPool } from './server-pool.js';

export interface BalancerMetrics {
  readonly registry: Registry;
  /** Records one probe's duration; called by the balancer for every probe result. */
  observeProbe(server: string, result: ProbeResult): void;
  /** Open client connections, read at scrape time. */
  setConnectionSource(read: () => number): void;
  /** Text exposition format. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsSources {
  pool: ServerPool;
  /** Responses that went to no server (4xx, 503, heartbeat), by status. */
  statusCounts: ReadonlyMap<number, number>;
}

const PROBE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createBalancerMetrics(sources: MetricsSources): BalancerMetrics {
  const { pool, statusCounts } = sources;
  const registry = new Registry();
  let readConnections = () => 0;
  /** Redirect counts of servers that were removed, so the counter never goes backwards. */
  const removedRedirects = new Map<string, number>();
  let known = new Map<string, number>();

  new Counter({
    name: 'lb_balancer_responses_total',
    help: 'Client responses by status; redirects (301) are labelled with the server they point at.',
    labelNames: ['server', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      const current = new Map<string, number>();
      for (const server of pool.all()) current.set(server.id, server.redirects);
      for (const [id, count] of known) {
        if (!current.has(id)) removedRedirects.set(id, count);
      }
      known = current;
      let redirects = 0;
      for (const [id, count] of [...removedRedirects, ...current]) {
        redirects += count;
        this.inc({ server: id, status: '301' }, count);
      }
      for (const [status, count] of statusCounts) {
        // The router counts redirects too; those are already labelled by server above.
        const rest = status === 301 ? count - redirects : count;
        if (rest > 0) this.inc({ server: '', status: String(status) }, rest);
      }
    },
  });

  new Gauge({
    name: 'lb_balancer_servers_up',
    help: 'Servers currently receiving traffic.',
    registers: [registry],
    collect() {
      this.set(pool.ranked().length);
    },
  });

  new Gauge({
    name: 'lb_balancer_servers',
    help: 'Servers known to the balancer, by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = { pending: 0, up: 0, down: 0 };
      for (const server of pool.all()) counts[server.state]++;
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });

  new Gauge({
    name: 'lb_balancer_server_share',
    help: 'Expected share of traffic per live server, from the strategy.',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [server, share] of pool.shares()) this.set({ server }, share);
    },
  });

  new Gauge({
    name: 'lb_balancer_probe_throughput_bytes_per_second',
    help: 'Throughput of the last successful probe of each server.',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      this.reset();
      for (const server of pool.all()) {
        if (server.lastProbe?.ok) this.set({ server: server.id }, server.lastProbe.bytesPerSec);
      }
    },
  });

  new Gauge({
    name: 'lb_balancer_client_connections',
    help: 'Open client connections.',
    registers: [registry],
    collect() {
      this.set(readConnections());
    },
  });

  const probeDuration = new Histogram({
    name: 'lb_balancer_probe_duration_seconds',
    help: 'Duration of probes (the timed transfer of the probe file), by server and result.',
    labelNames: ['server', 'result'],
    buckets: PROBE_BUCKETS,
    registers: [registry],
  });

  collectDefaultMetrics({ register: registry });

  return {
    registry,
    contentType: registry.contentType,
    observeProbe(server, result) {
      probeDuration.observe({ server, result: result.ok ? 'ok' : 'fail' }, result.totalMs / 1000);
    },
    setConnectionSource(read) {
      readConnections = read;
    },
    render: () => registry.metrics(),
  };
}
