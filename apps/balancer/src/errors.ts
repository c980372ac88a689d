/**
 * Errors of lb-balancer, in the style of undici's `lib/core/errors.js`: one base class with the
 * `LB_BALANCER_` code prefix, subclasses with a literal `code`, a default message and payload
 * fields. Each carries the exit code it ends the process with; only `cli.ts` turns an error into
 * an exit, through @lb/cli-kit's `exitCodeFor`.
 */
import { CliError } from '@lb/cli-kit';

/** Exit codes of lb-balancer (documented in docs/apps/balancer.md). */
export const EXIT_CODES = Object.freeze({
  /** Stopped cleanly (SIGINT/SIGTERM), or -h/--help, -V/--version, --list-strategies. */
  ok: 0,
  /** An unexpected internal error. */
  failure: 1,
  /** Bad flags, bad config file, bad strategy option. */
  usage: 2,
  /** No server passed the first performance test (and --readmit was not given). */
  noLiveServer: 3,
  /** The client or admin port could not be bound. */
  listen: 4,
  /** A managed lb-server replica could not be started. */
  replicaStart: 5,
});

export type BalancerErrorCode =
  | 'LB_BALANCER_CONFIG'
  | 'LB_BALANCER_CONFIG_UNREADABLE'
  | 'LB_BALANCER_USAGE'
  | 'LB_BALANCER_NO_LIVE_SERVER'
  | 'LB_BALANCER_LISTEN'
  | 'LB_BALANCER_REPLICA_START'
  | 'LB_BALANCER_DUPLICATE_SERVER';

/** Base class of every error lb-balancer raises on purpose; `name` is the subclass's own. */
export class BalancerError extends CliError<BalancerErrorCode> {}

/** A line of a server list (config file, positional argument or admin body) is malformed. */
export class ConfigError extends BalancerError {
  declare readonly code: 'LB_BALANCER_CONFIG';

  constructor(
    /** Where the line came from: the config file path as given, `argv`, or `servers[2]` for an admin body. */
    readonly file: string,
    /** 1-based line number within `file` (the argument position for `argv`). */
    readonly line: number,
    /** What is wrong, without the location: `invalid port "99999"`. */
    readonly problem: string,
  ) {
    super('LB_BALANCER_CONFIG', `${file}:${line}: ${problem}`, { exitCode: EXIT_CODES.usage });
  }
}

/** The config file could not be read at all (missing, a directory, no permission). */
export class ConfigFileUnreadableError extends BalancerError {
  declare readonly code: 'LB_BALANCER_CONFIG_UNREADABLE';

  constructor(
    readonly file: string,
    cause: Error & { code?: unknown },
  ) {
    const reason = typeof cause.code === 'string' ? cause.code : cause.message;
    super('LB_BALANCER_CONFIG_UNREADABLE', `${file}: cannot read: ${reason}`, {
      cause,
      exitCode: EXIT_CODES.usage,
    });
  }
}

/** A flag, or a combination of flags, that cannot work. */
export class UsageError extends BalancerError {
  declare readonly code: 'LB_BALANCER_USAGE';

  constructor(message: string) {
    super('LB_BALANCER_USAGE', message, { exitCode: EXIT_CODES.usage });
  }
}

/** No server passed the first performance test, and nothing could bring one back. */
export class NoLiveServerError extends BalancerError {
  declare readonly code: 'LB_BALANCER_NO_LIVE_SERVER';

  constructor(
    /** `host:port` of every server that was tested, each with why it failed. */
    readonly failures: ReadonlyArray<{ server: string; reason: string }>,
    message?: string,
  ) {
    super(
      'LB_BALANCER_NO_LIVE_SERVER',
      message ??
        (failures.length === 0
          ? 'no server to balance over'
          : `no server passed the performance test (${failures.length} failed)`),
      { exitCode: EXIT_CODES.noLiveServer },
    );
  }
}

/** The client port or the admin port could not be bound. */
export class ListenError extends BalancerError {
  declare readonly code: 'LB_BALANCER_LISTEN';
  /** The system error code, e.g. 'EADDRINUSE', 'EACCES'. */
  readonly syscallCode: string | undefined;

  constructor(
    what: string,
    readonly host: string,
    readonly port: number,
    cause: Error & { code?: unknown },
  ) {
    const syscallCode = typeof cause.code === 'string' ? cause.code : undefined;
    super(
      'LB_BALANCER_LISTEN',
      `cannot listen for ${what} on ${host}:${port}: ${syscallCode ?? cause.message}`,
      { cause, exitCode: EXIT_CODES.listen },
    );
    this.syscallCode = syscallCode;
  }
}

/** A managed lb-server replica could not be started (no binary, it exited, it never listened). */
export class ReplicaStartError extends BalancerError {
  declare readonly code: 'LB_BALANCER_REPLICA_START';

  constructor(message: string) {
    super('LB_BALANCER_REPLICA_START', message, { exitCode: EXIT_CODES.replicaStart });
  }
}

/** A server that is already in the pool was added again (admin `/add`). */
export class DuplicateServerError extends BalancerError {
  declare readonly code: 'LB_BALANCER_DUPLICATE_SERVER';

  constructor(readonly serverId: string) {
    super('LB_BALANCER_DUPLICATE_SERVER', `server ${serverId} is already in the pool`);
  }
}
