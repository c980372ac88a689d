/**
 * The closing section: each piece of the demo as a command to type, so a newcomer can take it
 * apart. `pnpm --filter` runs a script in the app's own directory, so every path is absolute.
 */

export interface ManualCommandsInput {
  repoRoot: string;
  /** Absolute path of the sample file. */
  filePath: string;
  fileName: string;
  rates: readonly string[];
  serverToShutDown: number;
  /** Where the downloads would go (absolute). */
  outputDir: string;
  /** True when the temp dir (and so filePath) still exists after the run. */
  kept: boolean;
}

/** Fixed example ports: a person running the pieces by hand wants to type them. */
const FIRST_PORT = 8001;
const BALANCER_PORT = 8080;

export function formatManualCommands(input: ManualCommandsInput): string[] {
  const ports = input.rates.map((_, k) => FIRST_PORT + k);
  const hosts = ports.map((port) => `127.0.0.1:${port}`);
  const keep = input.kept
    ? `${input.filePath} is kept (--keep): the commands below use it`
    : `pnpm start --keep keeps the temp dir and its ${input.fileName} for the commands below`;
  return [
    `one terminal each, anywhere inside ${input.repoRoot}; ${keep}`,
    `  pnpm --filter @lb/server start -i 5 -n ${ports.length} -f ${input.filePath} -p ${ports.join(' ')} --rate ${input.rates.join(' ')}`,
    `  pnpm --filter @lb/balancer start ${hosts.join(' ')} --probe-path /${input.fileName} --port ${BALANCER_PORT}`,
    `  pnpm --filter @lb/client start http://127.0.0.1:${BALANCER_PORT}/${input.fileName} -o ${input.outputDir}/via-balancer/`,
    `  pnpm --filter @lb/client start -i 1 -o ${input.outputDir}/all-servers -a 127.0.0.1 -p ${ports.join(' ')}`,
    `  while the last one runs, type E${input.serverToShutDown} in the server's terminal (S${input.serverToShutDown} restarts it, q quits)`,
  ];
}
