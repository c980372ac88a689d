/**
 * The balancer's admin API as the bench uses it: `GET /rep`, `POST /add`, `POST /rm`,
 * `GET /metrics`, over @lb/http-wire. The report type lists only the fields the bench reads
 * (apps do not import apps; docs/apps/balancer.md and apps/balancer/src/report.ts define it).
 */
import { httpRequest } from '@lb/http-wire';
import type { Address } from '@lb/test-kit';

export interface ReplicaReport {
  id: string;
  url: string;
  state: 'pending' | 'up' | 'down';
  region: string | null;
  machine: number | null;
  redirects: number;
  pid: number | null;
  lastProbe: { ok: boolean; totalMs: number } | null;
}

export interface BalancerReport {
  strategy: string;
  probe: { rounds: number };
  replicas: { managed: boolean; count: number; standbyPid: number | null };
  totals: { servers: number; up: number; redirects: number; responses: Record<string, number> };
  servers: ReplicaReport[];
}

export class AdminRequestError extends Error {
  override readonly name = 'AdminRequestError';
  constructor(
    readonly endpoint: string,
    readonly status: number,
    body: string,
  ) {
    super(`admin ${endpoint} answered ${status}: ${body.trim().slice(0, 300)}`);
  }
}

const TIMEOUT_MS = 30_000;

export class BalancerAdmin {
  readonly address: Address;

  constructor(address: Address) {
    this.address = address;
  }

  async #call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<string> {
    const response = await httpRequest(
      { host: this.address.host, port: this.address.port, path },
      {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
        connectTimeoutMs: TIMEOUT_MS,
        responseTimeoutMs: TIMEOUT_MS,
        idleTimeoutMs: TIMEOUT_MS,
      },
    );
    try {
      const text = await response.text();
      if (response.statusCode !== 200) {
        throw new AdminRequestError(`${method} ${path}`, response.statusCode, text);
      }
      return text;
    } finally {
      response.connection.destroy();
    }
  }

  async report(): Promise<BalancerReport> {
    return JSON.parse(await this.#call('GET', '/rep')) as BalancerReport;
  }

  /** `POST /add` with `{"servers":[...]}` (config lines) or `{"count":N}` (managed replicas). */
  async add(body: { servers: string[] } | { count: number }): Promise<ReplicaReport[]> {
    const answer = JSON.parse(await this.#call('POST', '/add', body)) as { added: ReplicaReport[] };
    return answer.added;
  }

  /** `POST /rm` with `{"servers":["host:port"]}` or `{"count":N}`. */
  async remove(body: { servers: string[] } | { count: number }): Promise<ReplicaReport[]> {
    const answer = JSON.parse(await this.#call('POST', '/rm', body)) as {
      removed: ReplicaReport[];
    };
    return answer.removed;
  }

  /** The Prometheus text of `GET /metrics`. */
  metrics(): Promise<string> {
    return this.#call('GET', '/metrics');
  }
}
