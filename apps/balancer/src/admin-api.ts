/**
 * The admin API's routing and validation, independent of sockets: a request in, a response out.
 *
 *   GET  /         live status page (no token needed: it holds no data; see status-page.ts)
 *   GET  /rep      JSON report of every server
 *   GET  /metrics  Prometheus exposition
 *   POST /add      {"servers":["host:port [weight=N] [region=NAME]", ...]} or {"count":N}
 *   POST /rm       {"servers":["host:port", ...]} or {"count":N}
 *
 * With a token, everything but `/` needs `Authorization: Bearer <token>`; a wrong or missing token
 * is 401 before the body is even looked at.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { DuplicateServerError } from './errors.js';
import type { BalancerReport, ServerReport } from './report.js';
import { parseServerLine, type ServerSpec } from './server-spec.js';
import { STATUS_PAGE_CSP, STATUS_PAGE_HTML } from './status-page.js';

/** What the admin API may do to the balancer. */
export interface AdminControl {
  report(): BalancerReport;
  metrics(): Promise<{ contentType: string; text: string }>;
  /** Whether `{"count":N}` bodies are accepted (the balancer manages lb-server replicas). */
  readonly replicasManaged: boolean;
  /**
   * Adds and probes the servers (a `down` one is replaced by a fresh entry); rejects with
   * DuplicateServerError for one already present and not down.
   */
  addServers(specs: readonly ServerSpec[]): Promise<ServerReport[]>;
  /** Removes the servers (stopping them when they are managed replicas). */
  removeServers(ids: readonly string[]): Promise<ServerReport[]>;
  addReplicas(count: number): Promise<ServerReport[]>;
  removeReplicas(count: number): Promise<ServerReport[]>;
  /** Managed replicas currently running. */
  replicaCount(): number;
}

export interface AdminRequest {
  method: string;
  /** The request-target (query is ignored). */
  target: string;
  /** Value of the Authorization header, or null. */
  authorization: string | null;
  body: Buffer;
}

export interface AdminResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** More than any sane list of servers; bounds what one request can make the balancer buffer. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;
export const MAX_REPLICA_CHANGE = 64;

const JSON_TYPE = 'application/json; charset=utf-8';

function json(status: number, value: unknown, extra: Array<[string, string]> = []): AdminResponse {
  return {
    status,
    headers: [['Content-Type', JSON_TYPE], ['Cache-Control', 'no-store'], ...extra],
    body: `${JSON.stringify(value, null, 2)}\n`,
  };
}

export function adminError(
  status: number,
  message: string,
  extra: Array<[string, string]> = [],
): AdminResponse {
  return json(status, { error: message }, extra);
}

/** A problem with the request body: answered 400 with the reason. */
class BodyProblem extends Error {}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Bearer token check in constant time (comparing digests, so lengths leak nothing either). */
export function createTokenCheck(
  token: string | undefined,
): (authorization: string | null) => string | null {
  if (token === undefined) return () => null;
  const expected = digest(token);
  return (authorization) => {
    if (authorization === null) return 'missing bearer token';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match === null) return 'Authorization must be "Bearer <token>"';
    return timingSafeEqual(digest(match[1] ?? ''), expected) ? null : 'invalid bearer token';
  };
}

type ChangeBody = { kind: 'servers'; entries: string[] } | { kind: 'count'; count: number };

function parseChangeBody(body: Buffer): ChangeBody {
  const text = body.toString('utf8').trim();
  const shape = '{"servers":["host:port", ...]} or {"count":N}';
  if (text === '') throw new BodyProblem(`request body is empty; expected ${shape}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BodyProblem(`body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BodyProblem(`body must be a JSON object: ${shape}`);
  }
  const fields = Object.keys(value);
  for (const field of fields) {
    if (field !== 'servers' && field !== 'count') {
      throw new BodyProblem(`unknown field "${field}"; expected ${shape}`);
    }
  }
  if (fields.length !== 1) throw new BodyProblem(`give exactly one of "servers" or "count"`);
  const record = value as Record<string, unknown>;
  if ('count' in record) {
    const count = record['count'];
    if (
      typeof count !== 'number' ||
      !Number.isInteger(count) ||
      count < 1 ||
      count > MAX_REPLICA_CHANGE
    ) {
      throw new BodyProblem(`"count" must be an integer from 1 to ${MAX_REPLICA_CHANGE}`);
    }
    return { kind: 'count', count };
  }
  const servers = record['servers'];
  if (!Array.isArray(servers) || servers.length === 0) {
    throw new BodyProblem('"servers" must be a non-empty array of "host:port" strings');
  }
  const entries: string[] = [];
  for (const [index, entry] of servers.entries()) {
    if (typeof entry !== 'string') throw new BodyProblem(`servers[${index}] must be a string`);
    entries.push(entry);
  }
  return { kind: 'servers', entries };
}

function parseEntries(entries: readonly string[], allowOptions: boolean): ServerSpec[] {
  const specs: ServerSpec[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of entries.entries()) {
    const result = parseServerLine(entry);
    if (!result.ok) throw new BodyProblem(`servers[${index}]: ${result.problem}`);
    if (!allowOptions && entry.trim().split(/[ \t]+/).length > 1) {
      throw new BodyProblem(`servers[${index}]: /rm takes only host:port`);
    }
    const first = seen.get(result.spec.id);
    if (first !== undefined) {
      throw new BodyProblem(
        `servers[${index}]: duplicate server "${result.spec.id}" (also servers[${first}])`,
      );
    }
    seen.set(result.spec.id, index);
    specs.push(result.spec);
  }
  return specs;
}

const ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/': ['GET', 'HEAD'],
  '/rep': ['GET', 'HEAD'],
  '/metrics': ['GET', 'HEAD'],
  '/add': ['POST'],
  '/rm': ['POST'],
};

export class AdminApi {
  readonly #control: AdminControl;
  readonly #checkToken: (authorization: string | null) => string | null;

  constructor(control: AdminControl, options: { token?: string } = {}) {
    this.#control = control;
    this.#checkToken = createTokenCheck(options.token);
  }

  async handle(request: AdminRequest): Promise<AdminResponse> {
    const queryStart = request.target.indexOf('?');
    const path = queryStart < 0 ? request.target : request.target.slice(0, queryStart);
    // hasOwn: `/__proto__` must be a 404 like any other unknown path.
    const allowed = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
    if (allowed === undefined) {
      return adminError(404, `no such endpoint ${path}; see GET /, /rep, /metrics, POST /add, /rm`);
    }
    if (!allowed.includes(request.method)) {
      return adminError(405, `${request.method} is not allowed on ${path}`, [
        ['Allow', allowed.join(', ')],
      ]);
    }
    if (path === '/') {
      return {
        status: 200,
        headers: [
          ['Content-Type', 'text/html; charset=utf-8'],
          ['Cache-Control', 'no-store'],
          ['Content-Security-Policy', STATUS_PAGE_CSP],
          ['X-Content-Type-Options', 'nosniff'],
          ['Referrer-Policy', 'no-referrer'],
        ],
        body: STATUS_PAGE_HTML,
      };
    }
    const denied = this.#checkToken(request.authorization);
    if (denied !== null) {
      return adminError(401, denied, [['WWW-Authenticate', 'Bearer realm="lb-balancer admin"']]);
    }
    switch (path) {
      case '/rep':
        return json(200, this.#control.report());
      case '/metrics': {
        const { contentType, text } = await this.#control.metrics();
        return {
          status: 200,
          headers: [
            ['Content-Type', contentType],
            ['Cache-Control', 'no-store'],
          ],
          body: text,
        };
      }
      default:
        return this.#change(path as '/add' | '/rm', request.body);
    }
  }

  async #change(route: '/add' | '/rm', body: Buffer): Promise<AdminResponse> {
    let change: ChangeBody;
    let specs: ServerSpec[] = [];
    try {
      change = parseChangeBody(body);
      if (change.kind === 'servers') specs = parseEntries(change.entries, route === '/add');
    } catch (error) {
      if (error instanceof BodyProblem) return adminError(400, error.message);
      throw error;
    }
    const control = this.#control;
    if (change.kind === 'count') {
      if (!control.replicasManaged) {
        return adminError(400, '"count" needs managed replicas (start the balancer with --spawn)');
      }
      if (route === '/add') return json(200, { added: await control.addReplicas(change.count) });
      const running = control.replicaCount();
      if (change.count > running) {
        return adminError(400, `cannot remove ${change.count} replicas: ${running} running`);
      }
      return json(200, { removed: await control.removeReplicas(change.count) });
    }
    if (route === '/add') {
      // A down server may be added again: that is how one comes back without --readmit.
      const present = specs.find((spec) =>
        control.report().servers.some((server) => server.id === spec.id && server.state !== 'down'),
      );
      if (present !== undefined)
        return adminError(409, `server ${present.id} is already in the pool`);
      try {
        return json(200, { added: await control.addServers(specs) });
      } catch (error) {
        if (error instanceof DuplicateServerError) return adminError(409, error.message);
        throw error;
      }
    }
    const known = new Set(control.report().servers.map((server) => server.id));
    const missing = specs.find((spec) => !known.has(spec.id));
    if (missing !== undefined) return adminError(404, `server ${missing.id} is not in the pool`);
    return json(200, { removed: await control.removeServers(specs.map((spec) => spec.id)) });
  }
}
