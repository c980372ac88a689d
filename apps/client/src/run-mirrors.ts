/**
 * Runs @lb/download's engine over a list of mirror URLs with the reporting a person or a script
 * expects: engine events as notices on stderr (and JSON events with --json), metrics every
 * interval from the moment the file is known, a last report and a summary at the end.
 */
import { performance } from 'node:perf_hooks';
import { type Destination, Download, type DownloadResult } from '@lb/download';
import type { CommonConfig } from './client-config.js';
import { formatEngineEvent } from './engine-notices.js';
import { engineEventJson, jsonLine } from './json-events.js';
import { MetricsReporter } from './metrics-reporter.js';
import { USER_AGENT } from './request-headers.js';
import { notice, type RunContext } from './run-context.js';

export async function runMirrors(
  context: RunContext,
  config: CommonConfig,
  mirrors: readonly string[],
  destination: Destination,
): Promise<DownloadResult> {
  const startedAt = performance.now();
  // cli-progress is loaded only when bars are drawn: it costs startup time and memory otherwise.
  const wantsBars = !config.json && (config.progress ?? context.stdout.isTTY === true);
  const bars = wantsBars ? await import('./progress-bars.js') : undefined;
  let reporter: MetricsReporter | undefined;
  const say = (message: string) => {
    if (reporter?.drawsBars && context.stderr.isTTY) reporter.log(`lb-client: ${message}\n`);
    else notice(context, message);
  };
  const engine = new Download({
    mirrors,
    destination,
    resume: config.resume,
    waitMs: config.waitMs,
    connectionsPerMirror: config.connectionsPerServer,
    connectTimeoutMs: config.connectTimeoutMs,
    stallTimeoutMs: config.stallTimeoutMs,
    checkpointIntervalMs: config.checkpointIntervalMs,
    userAgent: USER_AGENT,
    logger: context.logger.child({ module: 'engine' }),
    signal: context.signal,
    onBytesReceived: context.onBytesReceived,
    onEvent: (event) => {
      if (config.json) {
        context.stdout.write(jsonLine(engineEventJson(event, mirrors)));
      }
      say(formatEngineEvent(event));
      if (event.event === 'started' && reporter === undefined) {
        reporter = new MetricsReporter({
          stdout: context.stdout,
          intervalMs: config.intervalMs,
          json: config.json,
          createBars:
            bars === undefined
              ? undefined
              : (stream, servers, size) => new bars.TransferBars(stream, servers, size),
          urls: mirrors,
          snapshot: () => engine.snapshot(),
        });
      }
      if (event.event === 'verifying') reporter?.finish();
    },
  });
  try {
    const result = await engine.run();
    reporter?.finish();
    const elapsedMs = Math.round(performance.now() - startedAt);
    if (config.json) context.stdout.write(jsonLine({ event: 'done', ...result, elapsedMs }));
    const check =
      result.verification === 'validators' ? 'size and validators checked' : 'SHA-256 verified';
    notice(context, `saved ${result.path} (${result.size} bytes, ${check})`);
    return result;
  } catch (error) {
    reporter?.finish();
    throw error;
  }
}
