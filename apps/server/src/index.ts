export { BufferPool } from './buffer-pool.js';
export { parseByteSize } from './byte-size.js';
export { buildArgv, main, runCli, serverOptionDefinitions } from './cli.js';
export { EXIT_CODES, InputPathError, ListenError, ServerAppError, UsageError } from './errors.js';
export { FileServer, type FileServerOptions } from './file-server.js';
export { type ServerConfig, toServerConfig } from './server-config.js';
export { formatStatusLine } from './status-report.js';
export { TokenBucket } from './token-bucket.js';
export { VirtualServers } from './virtual-servers.js';
