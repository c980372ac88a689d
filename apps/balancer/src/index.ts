export type { AdminControl, AdminRequest, AdminResponse } from './admin-api.js';
export { AdminApi } from './admin-api.js';
export type { Balancer, BalancerDeps, FirstTest } from './balancer.js';
export { createBalancer } from './balancer.js';
export type {
  AdminSettings,
  BalancerOptions,
  ProbeSettings,
  ReplicaSettings,
} from './balancer-options.js';
export type { Command } from './cli.js';
export { balancerFlags, buildArgv, exitCodeFor, main, parseCommandLine } from './cli.js';
export type { ConfiguredServer } from './config-file.js';
export { parseConfigText, readConfigFile } from './config-file.js';
export {
  BalancerError,
  ConfigError,
  ConfigFileUnreadableError,
  DuplicateServerError,
  ListenError,
  NoLiveServerError,
  ReplicaStartError,
  UsageError,
} from './errors.js';
export type { BalancerReport, ServerReport } from './report.js';
export type { ServerSpec } from './server-spec.js';
export { parseServerLine } from './server-spec.js';
