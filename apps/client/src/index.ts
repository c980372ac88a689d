export {
  buildArgv,
  type CliIo,
  clientOptionDefinitions,
  main,
  parseCommandLine,
  runCli,
} from './cli.js';
export { type ClientConfig, toClientConfig } from './client-config.js';
export * from './errors.js';
export { formatMetricsLines, MetricsMeter, type MetricsReport } from './metrics-report.js';
export { followRedirects, MAX_REDIRECTS } from './redirect-follower.js';
