/**
 * Starts an app that listens (lb-server, lb-balancer) with `--json` and resolves once it printed
 * its `listening` event(s): the URL comes from the event, never from the human text.
 */
import { AppProcess, type SpawnOptions, type WaitOptions } from './app-process.js';
import {
  addressOf,
  hostPort,
  type ListeningEvent,
  parseListeningEvent,
  parseListeningLine,
} from './listening.js';

export interface StartAppOptions extends SpawnOptions {
  /** How many listening events to wait for (lb-server's virtual mode prints one per server). */
  listeners?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Run without `--json` and read the human `listening on` / `admin on` lines instead: only for
   * tests whose subject is that human output.
   */
  human?: boolean;
}

export interface RunningApp {
  process: AppProcess;
  /** The first listener: `http://HOST:PORT`. */
  url: string;
  host: string;
  port: number;
  /** `host:port` of the first listener (the balancer's server argument). */
  id: string;
  /** Every listener's URL, in the order printed (server k at index k − 1). */
  urls: string[];
  /** lb-balancer's admin listener, when it has one. */
  adminUrl: string | undefined;
  /** SIGTERM (or `signal`), SIGKILL after the grace; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const args = options.args ?? [];
  const human = options.human === true && !args.includes('--json');
  const child = new AppProcess({
    ...options,
    args: human || args.includes('--json') ? args : [...args, '--json'],
  });
  const wanted = options.listeners ?? 1;
  const events: ListeningEvent[] = [];
  const wait: WaitOptions = { timeoutMs: options.timeoutMs, signal: options.signal };
  try {
    if (human) {
      // The admin line follows the listening line(s) when there is an admin listener.
      const wantAdmin = args.includes('--admin-port');
      let adminUrl: string | undefined;
      await child.waitForLine((line) => {
        const heard = parseListeningLine(line);
        if (heard?.kind === 'listening') events.push({ event: 'listening', url: heard.url });
        if (heard?.kind === 'admin') adminUrl = heard.url;
        return (events.length >= wanted && (!wantAdmin || adminUrl !== undefined)) || undefined;
      }, wait);
      if (adminUrl !== undefined) events[0] = { ...events[0]!, adminUrl };
    } else {
      await child.waitForLine((line) => {
        const event = parseListeningEvent(line);
        if (event) events.push(event);
        return events.length >= wanted || undefined;
      }, wait);
    }
  } catch (error) {
    await child.stop({ signal: 'SIGKILL' });
    throw error;
  }
  return running(child, events);
}

function running(child: AppProcess, events: readonly ListeningEvent[]): RunningApp {
  const first = events[0]!;
  const address = addressOf(first.url);
  return {
    process: child,
    url: first.url,
    ...address,
    id: hostPort(address),
    urls: events.map((event) => event.url),
    adminUrl: first.adminUrl ?? undefined,
    async stop(signal = 'SIGTERM') {
      return (await child.stop({ signal })).code;
    },
  };
}

/** `lb-server ARGS --json`, ready once every listener is open. */
export function startServer(
  args: readonly string[],
  options: Omit<StartAppOptions, 'app' | 'args'> = {},
): Promise<RunningApp> {
  return startApp({ ...options, app: 'server', args });
}

/** `lb-balancer ARGS --json`, ready once it serves (its event carries the admin URL too). */
export function startBalancer(
  args: readonly string[],
  options: Omit<StartAppOptions, 'app' | 'args'> = {},
): Promise<RunningApp> {
  return startApp({ ...options, app: 'balancer', args });
}
