/**
 * The demo's fixed choices, each with its reason. Everything the phases and the tests agree on.
 */

export const SAMPLE_FILE_NAME = 'sample.mp4';
export const DEFAULT_SIZE_MIB = 8;
/**
 * Slowest first, so Server 4 is the fastest. The balancer's performance test fetches the whole
 * file from every server, so the slowest rate sets its length (8 MiB at 2 MiB/s: 4 s); together
 * these deliver ~15 MiB/s in mode 2. The whole demo then takes ~15 s on an idle 2-core machine,
 * mostly process start-up, and stays under 30 s when the machine is busy.
 */
export const SERVER_RATES = ['2M', '3M', '4M', '6M'] as const;
export const SERVER_COUNT = SERVER_RATES.length;
/** The fastest: losing it mid-way is the most visible test of the client's failover. */
export const SERVER_TO_SHUT_DOWN = 4;
/** "About a third is done": of the file's bytes received from all servers together. */
export const SHUT_DOWN_AT_FRACTION = 1 / 3;
/**
 * Mode 2 lasts about a second: reports every 0.1 s make it watchable, and let the demo shut the
 * server down close to a third of the way (one report is ~1.5 MiB at full speed).
 */
export const METRICS_INTERVAL_SECONDS = 0.1;
/** lb-server's status block; only changed blocks are echoed, so this only sets how soon "dead" shows. */
export const STATUS_INTERVAL_SECONDS = 0.5;
/** In-flight responses get this long when the server is stopped; nothing should be in flight. */
export const SERVER_SHUTDOWN_GRACE_MS = 1000;
/**
 * Fixes the balancer's random source, so every run redirects to the same server. With
 * rank-weighted picks (40/30/20/10%) seed 4's first draw lands on the fastest server, the most
 * likely pick and the quickest mode 1 download.
 */
export const BALANCER_SEED = 4;
/** SIGTERM, then SIGKILL after this long. The apps stop in milliseconds when healthy. */
export const STOP_GRACE_MS = 3000;
