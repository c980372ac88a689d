/**
 * The balancer, composed: the pool and its strategy, the prober that feeds it, the client port,
 * the admin port and the managed replicas. `createBalancer` runs the first performance test before
 * anything listens; `listen` opens the ports; `close` stops everything in the right order.
 */
import { randomInt } from 'node:crypto';
import { type ProbeResult, Prober } from '@lb/probe';
import { createSeededRandom, createStrategy } from '@lb/ranking';
import pino, { type Logger } from 'pino';
import { AdminApi, type AdminControl } from './admin-api.js';
import { AdminServer } from './admin-server.js';
import type { BalancerOptions } from './balancer-options.js';
import { NoLiveServerError } from './errors.js';
import { locateServerCommand, type ServerCommand } from './locate-server-command.js';
import { createBalancerMetrics } from './metrics.js';
import type { LeftOutRow, RankingRow } from './ranking-table.js';
import { RedirectRouter } from './redirect-router.js';
import { RedirectServer } from './redirect-server.js';
import { type Replica, ReplicaManager } from './replica-manager.js';
import { type BalancerReport, buildReport, type ServerReport } from './report.js';
import { ServerPool } from './server-pool.js';
import type { ServerSpec } from './server-spec.js';

export interface FirstTest {
  /** Servers that passed, in rank order, with the share the strategy will give them. */
  ranked: RankingRow[];
  /** Servers that failed, with why. */
  leftOut: LeftOutRow[];
}

export interface Balancer {
  readonly firstTest: FirstTest;
  readonly pool: ServerPool;
  /** The seed of the strategy's random source (given, or drawn and logged). */
  readonly seed: number;
  /** `http://HOST:PORT` of the client port, once listening. */
  readonly url: string | undefined;
  /** `http://HOST:PORT` of the admin API, once listening (undefined without --admin-port). */
  readonly adminUrl: string | undefined;
  report(): BalancerReport;
  listen(): Promise<void>;
  /** Graceful stop: no new clients, answers in flight finish, probes stop, replicas stop. */
  close(): Promise<void>;
}

export interface BalancerDeps {
  logger?: Logger;
  /** How to start lb-server replicas; found next to this app by default. */
  serverCommand?: ServerCommand;
  /** Extra lb-server flags for replicas (tests). */
  replicaArgs?: readonly string[];
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function replicaSpec(replica: Replica): ServerSpec {
  return { id: replica.id, host: replica.host, port: replica.port, weight: 1, region: undefined };
}

function describeFailure(result: ProbeResult | undefined): string {
  if (result === undefined) return 'not probed';
  return result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`;
}

export async function createBalancer(
  options: BalancerOptions,
  deps: BalancerDeps = {},
): Promise<Balancer> {
  const logger = deps.logger ?? pino({ level: 'silent' });
  const seed = options.seed ?? randomInt(2 ** 47);
  const strategy = createStrategy(options.strategy, options.strategyOptions, {
    random: createSeededRandom(seed),
  });
  logger.info({ strategy: options.strategy, options: options.strategyOptions, seed }, 'strategy');
  const pool = new ServerPool(strategy);
  const router = new RedirectRouter(pool, { retryAfterSeconds: options.probe.intervalMs / 1000 });
  const metrics = createBalancerMetrics({ pool, statusCounts: router.statusCounts });
  const probeLog = logger.child({ module: 'prober' });
  const prober = new Prober({
    intervalMs: options.probe.intervalMs,
    concurrency: options.probe.concurrency,
    rise: options.probe.rise,
    fall: options.probe.fall,
    probe: {
      path: options.probe.path,
      timeoutMs: options.probe.timeoutMs,
      samples: options.probe.samples,
    },
  });
  prober.on('result', (result) => {
    pool.recordProbe(result.target, result);
    metrics.observeProbe(result.target, result);
    probeLog.debug({ server: result.target, result }, 'probe');
  });
  prober.on('up', (id, result) => {
    pool.setState(id, 'up');
    probeLog.info({ server: id, totalMs: result.ok ? result.totalMs : undefined }, 'server up');
  });
  prober.on('down', (id, result) => {
    pool.setState(id, 'down');
    // The seed behaviour: a failed server is out for good unless --readmit keeps checking it.
    if (!options.probe.readmit) prober.remove(id);
    probeLog.warn(
      { server: id, reason: describeFailure(result), readmit: options.probe.readmit },
      'server down',
    );
  });

  let probeRounds = 0;
  prober.on('round', () => probeRounds++);

  const addServer = (spec: ServerSpec, replicaPid?: number) => {
    pool.add(spec, replicaPid === undefined ? {} : { replicaPid });
    prober.add(spec.id);
  };
  const dropServer = (id: string) => {
    prober.remove(id);
    return pool.remove(id);
  };

  let replicas: ReplicaManager | undefined;
  if (options.replicas !== undefined) {
    replicas = new ReplicaManager({
      root: options.replicas.root,
      command: deps.serverCommand ?? locateServerCommand(),
      logger: logger.child({ module: 'replicas' }),
      ...(deps.replicaArgs === undefined ? {} : { extraArgs: deps.replicaArgs }),
    });
    replicas.on('replaced', (dead, replacement) => {
      dropServer(dead.id);
      addServer(replicaSpec(replacement), replacement.pid);
      void prober.probeNow(replacement.id);
    });
    replicas.on('lost', (dead) => dropServer(dead.id));
    for (const replica of await replicas.start(options.replicas.count)) {
      addServer(replicaSpec(replica), replica.pid);
    }
  }
  for (const spec of options.servers) addServer(spec);

  await prober.runRound();
  const shares = pool.shares();
  const firstTest: FirstTest = {
    ranked: pool.ranked().map((server) => {
      const probe = server.lastProbe;
      return {
        server: server.id,
        totalMs: probe?.ok ? probe.totalMs : 0,
        bytesPerSec: probe?.ok ? probe.bytesPerSec : 0,
        share: shares.get(server.id) ?? 0,
      };
    }),
    // From the pool, not the round: the prober drops a failed target before the round reports.
    leftOut: pool
      .all()
      .filter((server) => server.state === 'down')
      .map((server) => ({ server: server.id, reason: describeFailure(server.lastProbe) })),
  };
  if (firstTest.ranked.length === 0 && !options.probe.readmit) {
    await replicas?.stopAll();
    throw new NoLiveServerError(firstTest.leftOut);
  }
  prober.start();

  const redirectServer = new RedirectServer(router, {
    idleTimeoutMs: options.idleTimeoutMs,
    headerTimeoutMs: options.headerTimeoutMs,
    logger: logger.child({ module: 'clients' }),
  });
  metrics.setConnectionSource(() => redirectServer.connections);
  let url: string | undefined;
  let adminUrl: string | undefined;

  const report = (): BalancerReport =>
    buildReport(pool, {
      strategy: options.strategy,
      listening: url ?? null,
      probePath: options.probe.path,
      probeIntervalSeconds: options.probe.intervalMs / 1000,
      readmit: options.probe.readmit,
      probeRounds,
      replicaRoot: options.replicas?.root ?? null,
      standbyPid: replicas?.standbyPid ?? null,
      statusCounts: router.statusCounts,
    });
  const reportsOf = (ids: readonly string[]): ServerReport[] => {
    const all = report().servers;
    return ids.flatMap((id) => all.filter((server) => server.id === id));
  };
  const probeAll = async (ids: readonly string[]) => {
    await Promise.all(ids.map((id) => prober.probeNow(id)));
  };

  const adminLog = logger.child({ module: 'admin' });
  const control: AdminControl = {
    replicasManaged: replicas !== undefined,
    report,
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.render() }),
    async addServers(specs) {
      for (const spec of specs) {
        if (pool.get(spec.id)?.state === 'down') dropServer(spec.id);
        addServer(spec);
      }
      adminLog.info({ servers: specs.map((spec) => spec.id) }, 'servers added');
      await probeAll(specs.map((spec) => spec.id));
      return reportsOf(specs.map((spec) => spec.id));
    },
    async removeServers(ids) {
      const removed = reportsOf(ids);
      await Promise.all(ids.map((id) => replicas?.stop(id)));
      for (const id of ids) dropServer(id);
      adminLog.info({ servers: ids }, 'servers removed');
      return removed.map((server) => ({ ...server, state: 'down' as const }));
    },
    async addReplicas(count) {
      const started = await replicas!.start(count);
      for (const replica of started) addServer(replicaSpec(replica), replica.pid);
      adminLog.info({ servers: started.map((replica) => replica.id) }, 'replicas added');
      await probeAll(started.map((replica) => replica.id));
      return reportsOf(started.map((replica) => replica.id));
    },
    async removeReplicas(count) {
      const newest = replicas!
        .list()
        .slice(-count)
        .map((replica) => replica.id);
      const removed = reportsOf(newest);
      for (const id of newest) dropServer(id);
      await replicas!.stopNewest(count);
      adminLog.info({ servers: newest }, 'replicas removed');
      return removed.map((server) => ({ ...server, state: 'down' as const }));
    },
    replicaCount: () => replicas?.count ?? 0,
  };
  const adminServer =
    options.admin === undefined
      ? undefined
      : new AdminServer(
          new AdminApi(
            control,
            options.admin.token === undefined ? {} : { token: options.admin.token },
          ),
          adminLog,
        );

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      prober.stop();
      await Promise.all([redirectServer.close(), adminServer?.close()]);
      await replicas?.stopAll();
      logger.info('stopped');
    })();
    return closed;
  };

  return {
    firstTest,
    pool,
    seed,
    get url() {
      return url;
    },
    get adminUrl() {
      return adminUrl;
    },
    report,
    async listen() {
      try {
        const address = await redirectServer.listen(options.host, options.port);
        url = urlOf(address.address, address.port);
        if (adminServer !== undefined && options.admin !== undefined) {
          const admin = await adminServer.listen(options.admin.host, options.admin.port);
          adminUrl = urlOf(admin.address, admin.port);
        }
        logger.info({ url, adminUrl }, 'listening');
      } catch (error) {
        await close();
        throw error;
      }
    },
    close,
  };
}
