import os from 'node:os';

/** Where and when the benchmark ran, for the report header. */
export function describeEnvironment(): string[] {
  const cpus = os.cpus();
  return [
    `- Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length} logical CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()} (${os.arch()})`,
    `- Node ${process.version}`,
    `- Date: ${new Date().toISOString()}`,
    `- Load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ', ',
      )} (other work on the machine inflates ns/pick; the ratios against \`random\` are the comparable figures)`,
  ];
}
