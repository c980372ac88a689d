/**
 * n lb-servers in one process (lb-server's virtual mode): each serves the same file and may have
 * its own `--latency` and `--rate`. One process instead of n keeps the 2-core machine free for the
 * measurement itself. Server k's address is the k-th `listening` event.
 */

import { type Address, addressOf } from '@lb/test-kit';
import { AppProcess } from './app-process.js';

export interface VirtualServerSpec {
  latencyMs: number;
  /** lb-server rate, e.g. `4M` (bytes/s). All servers or none must have one (lb-server's rule). */
  rate?: string;
}

export interface VirtualServerCluster {
  process: AppProcess;
  /** Address of server k at index k − 1. */
  addresses: readonly Address[];
}

/** The lb-server arguments for these servers (exported for tests and the printed parameters). */
export function virtualServerArgs(file: string, servers: readonly VirtualServerSpec[]): string[] {
  if (servers.length === 0) throw new RangeError('at least one server is needed');
  const rated = servers.filter((server) => server.rate !== undefined).length;
  if (rated !== 0 && rated !== servers.length) {
    throw new RangeError(
      'give a rate for every server or for none (lb-server takes one per server)',
    );
  }
  const args = [
    // Status blocks every hour: nobody reads them here, and they are not free on stdout.
    '-i',
    '3600',
    '-n',
    String(servers.length),
    '-f',
    file,
    '-p',
    ...servers.map(() => '0'),
    '--latency',
    ...servers.map((server) => String(server.latencyMs)),
    '--log-level',
    'warn',
  ];
  if (rated > 0) args.push('--rate', ...servers.map((server) => server.rate!));
  return args;
}

export async function startVirtualServers(
  file: string,
  servers: readonly VirtualServerSpec[],
  label = 'lb-server (virtual servers)',
): Promise<VirtualServerCluster> {
  const process = await AppProcess.start({
    app: 'server',
    args: virtualServerArgs(file, servers),
    label,
    listeners: servers.length,
  });
  return { process, addresses: process.listening.urls.map(addressOf) };
}
