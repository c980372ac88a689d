/**
 * lb-balancer as a child process: the client port and the admin port both on any free loopback
 * port, servers from a config file written for it (`host:port weight=N region=NAME` lines), logs
 * at warn so its stderr stays quiet under load.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Address, addressOf } from '@lb/test-kit';
import { AppProcess } from './app-process.js';
import { BalancerAdmin } from './balancer-admin.js';

export interface BalancerServerLine {
  /** `host:port` */
  address: string;
  region?: string;
  weight?: number;
}

export interface BalancerLaunch {
  /** Servers written to the config file (may be empty with `spawn`). */
  servers: readonly BalancerServerLine[];
  strategy: string;
  strategyOptions?: Readonly<Record<string, string | number>>;
  seed?: number;
  probePath: string;
  probeIntervalSeconds: number;
  /** `--spawn N --root DIR`: the balancer starts and manages its own lb-server replicas. */
  spawn?: { count: number; root: string };
  label?: string;
}

export interface BalancerAddresses {
  client: Address;
  admin: Address;
}

export interface BalancerProcess {
  process: AppProcess;
  client: Address;
  admin: BalancerAdmin;
  /** Stops the balancer (and with it its managed replicas) and removes its config file. */
  stop(): Promise<void>;
}

export function configFileText(servers: readonly BalancerServerLine[]): string {
  return servers
    .map((server) =>
      [
        server.address,
        server.weight === undefined ? '' : `weight=${server.weight}`,
        server.region === undefined ? '' : `region=${server.region}`,
      ]
        .filter(Boolean)
        .join(' '),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** The lb-balancer arguments for a launch, given where its config file is. */
export function balancerArgs(launch: BalancerLaunch, configFile: string | undefined): string[] {
  const args = [
    '--port',
    '0',
    '--admin-port',
    '0',
    '--strategy',
    launch.strategy,
    '--probe-path',
    launch.probePath,
    '--probe-interval',
    String(launch.probeIntervalSeconds),
    '--log-level',
    'warn',
  ];
  if (configFile !== undefined) args.push('--config', configFile);
  for (const [key, value] of Object.entries(launch.strategyOptions ?? {})) {
    args.push('--strategy-opt', `${key}=${value}`);
  }
  if (launch.seed !== undefined) args.push('--seed', String(launch.seed));
  if (launch.spawn !== undefined) {
    args.push('--spawn', String(launch.spawn.count), '--root', launch.spawn.root);
  }
  return args;
}

/** Both addresses from the balancer's listening event (which names the admin listener too). */
export function balancerAddresses(event: {
  url: string;
  adminUrl?: string | null | undefined;
}): BalancerAddresses | undefined {
  if (typeof event.adminUrl !== 'string') return undefined;
  return { client: addressOf(event.url), admin: addressOf(event.adminUrl) };
}

export async function startBalancer(launch: BalancerLaunch): Promise<BalancerProcess> {
  const directory = await mkdtemp(join(tmpdir(), 'lb-bench-balancer-'));
  try {
    let configFile: string | undefined;
    if (launch.servers.length > 0) {
      configFile = join(directory, 'balancer.conf');
      await writeFile(configFile, configFileText(launch.servers));
    }
    const process = await AppProcess.start({
      app: 'balancer',
      args: balancerArgs(launch, configFile),
      label: launch.label ?? `lb-balancer (${launch.strategy})`,
    });
    const addresses = balancerAddresses(process.listening);
    if (addresses === undefined) {
      await process.stop();
      throw new Error(`${process.label} listens without an admin port`);
    }
    return {
      process,
      client: addresses.client,
      admin: new BalancerAdmin(addresses.admin),
      async stop() {
        await process.stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
