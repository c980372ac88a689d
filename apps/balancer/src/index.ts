export type { AdminControl, AdminRequest, AdminResponse } from './admin-api.js';
export { AdminApi } from './admin-api.js';
export type { Balancer, BalancerDeps, FirstTest } from './balancer.js';
export { createBalancer } from './balancer.js';
export { balancerFlags } from './balancer-flags.js';
export type {
  AdminSettings,
  BalancerOptions,
  ProbeSettings,
  ReplicaSettings,
} from './balancer-options.js';
export type { Command } from './cli.js';
export { buildArgv, exitCodeFor, main, parseCommandLine } from './cli.js';
export type { ConfiguredServer } from './config-file.js';
export { parseConfigText, readConfigFile } from './config-file.js';
export {
  BalancerError,
  type BalancerErrorCode,
  ConfigError,
  ConfigFileUnreadableError,
  DuplicateServerError,
  EXIT_CODES,
  ListenError,
  NoLiveServerError,
  ReplicaStartError,
  UsageError,
} from './errors.js';
export type { BalancerReport, ServerReport } from './report.js';
export type { ServerSpec } from './server-spec.js';
export { parseServerLine } from './server-spec.js';
