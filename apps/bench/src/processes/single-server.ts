/**
 * One lb-server in single mode over a directory, with its JSON request log (stderr, level info)
 * watched: the log is how the servers themselves count the requests they handled.
 */

import { type Address, addressOf } from '@lb/test-kit';
import { AppProcess } from './app-process.js';

export interface SingleServer {
  process: AppProcess;
  address: Address;
  id: string;
}

export async function startSingleServer(options: {
  root: string;
  id: string;
  extraArgs?: readonly string[];
}): Promise<SingleServer> {
  const process = await AppProcess.start({
    app: 'server',
    args: [
      '--root',
      options.root,
      '--port',
      '0',
      '--id',
      options.id,
      '--log-level',
      'info',
      ...(options.extraArgs ?? []),
    ],
    label: `lb-server ${options.id}`,
  });
  return { process, address: addressOf(process.listening.url), id: options.id };
}

/**
 * A request line of lb-server's pino log (`{"msg":"request","path":"/x","status":200,...}`), or
 * undefined for any other line.
 */
export function parseRequestLogLine(line: string): { path: string; status: number } | undefined {
  if (!line.includes('"msg":"request"')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; path?: unknown; status?: unknown };
    if (entry.msg !== 'request' || typeof entry.path !== 'string') return undefined;
    return { path: entry.path, status: typeof entry.status === 'number' ? entry.status : 0 };
  } catch {
    return undefined;
  }
}
