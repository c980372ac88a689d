/**
 * Errors of lb-balancer, in the style of undici's `lib/core/errors.js`: one base class with an
 * app-prefixed `code`, subclasses with a literal `code`, a default message and payload fields.
 * `cli.ts` maps each code to an exit code; nothing else turns an error into an exit.
 */

/** Base class of every error lb-balancer raises on purpose. */
export class BalancerError extends Error {
  override name = 'BalancerError';
  code: string = 'LBB';
}

/** A line of a server list (config file, positional argument or admin body) is malformed. */
export class ConfigError extends BalancerError {
  override name = 'ConfigError';
  override code = 'LBB_CONFIG' as const;
  /** Where the line came from: the config file path as given, `argv`, or `servers[2]` for an admin body. */
  readonly file: string;
  /** 1-based line number within `file` (the argument position for `argv`). */
  readonly line: number;
  /** What is wrong, without the location: `invalid port "99999"`. */
  readonly problem: string;

  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}

/** The config file could not be read at all (missing, a directory, no permission). */
export class ConfigFileUnreadableError extends BalancerError {
  override name = 'ConfigFileUnreadableError';
  override code = 'LBB_CONFIG_UNREADABLE' as const;
  readonly file: string;

  constructor(file: string, cause: Error & { code?: unknown }) {
    super(`${file}: cannot read: ${typeof cause.code === 'string' ? cause.code : cause.message}`, {
      cause,
    });
    this.file = file;
  }
}

/** A flag, or a combination of flags, that cannot work. */
export class UsageError extends BalancerError {
  override name = 'UsageError';
  override code = 'LBB_USAGE' as const;
}

/** No server passed the first performance test, and nothing could bring one back. */
export class NoLiveServerError extends BalancerError {
  override name = 'NoLiveServerError';
  override code = 'LBB_NO_LIVE_SERVER' as const;
  /** `host:port` of every server that was tested, each with why it failed. */
  readonly failures: ReadonlyArray<{ server: string; reason: string }>;

  constructor(failures: ReadonlyArray<{ server: string; reason: string }>, message?: string) {
    super(
      message ??
        (failures.length === 0
          ? 'no server to balance over'
          : `no server passed the performance test (${failures.length} failed)`),
    );
    this.failures = failures;
  }
}

/** The client port or the admin port could not be bound. */
export class ListenError extends BalancerError {
  override name = 'ListenError';
  override code = 'LBB_LISTEN' as const;
  readonly host: string;
  readonly port: number;
  /** The system error code, e.g. 'EADDRINUSE', 'EACCES'. */
  readonly syscallCode: string | undefined;

  constructor(what: string, host: string, port: number, cause: Error & { code?: unknown }) {
    const syscallCode = typeof cause.code === 'string' ? cause.code : undefined;
    super(`cannot listen for ${what} on ${host}:${port}: ${syscallCode ?? cause.message}`, {
      cause,
    });
    this.host = host;
    this.port = port;
    this.syscallCode = syscallCode;
  }
}

/** A managed lb-server replica could not be started (no binary, it exited, it never listened). */
export class ReplicaStartError extends BalancerError {
  override name = 'ReplicaStartError';
  override code = 'LBB_REPLICA_START' as const;
}

/** A server that is already in the pool was added again (admin `/add`). */
export class DuplicateServerError extends BalancerError {
  override name = 'DuplicateServerError';
  override code = 'LBB_DUPLICATE_SERVER' as const;
  readonly serverId: string;

  constructor(serverId: string) {
    super(`server ${serverId} is already in the pool`);
    this.serverId = serverId;
  }
}
