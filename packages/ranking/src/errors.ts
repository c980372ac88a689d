/**
 * One errors module for the library, in undici's style: a base class with the `LB_RANKING_` code
 * prefix, subclasses with a literal `code`, a default message and payload fields. Match on `code`.
 */

export type RankingErrorCode =
  | 'LB_RANKING_ERROR'
  | 'LB_RANKING_UNKNOWN_STRATEGY'
  | 'LB_RANKING_INVALID_OPTION'
  | 'LB_RANKING_INVALID_ENDPOINT'
  | 'LB_RANKING_INVALID_SAMPLE'
  | 'LB_RANKING_INVALID_SEED'
  | 'LB_RANKING_SIM_CONFIG'
  | 'LB_RANKING_SLOT_TABLE_TOO_SMALL';

export class RankingError extends Error {
  constructor(
    readonly code: RankingErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class UnknownStrategyError extends RankingError {
  declare readonly code: 'LB_RANKING_UNKNOWN_STRATEGY';

  constructor(
    readonly strategy: string,
    readonly validNames: readonly string[],
  ) {
    super(
      'LB_RANKING_UNKNOWN_STRATEGY',
      `Unknown strategy "${strategy}"; valid strategies: ${validNames.join(', ')}`,
    );
  }
}

export class InvalidStrategyOptionError extends RankingError {
  declare readonly code: 'LB_RANKING_INVALID_OPTION';

  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(
      'LB_RANKING_INVALID_OPTION',
      `Invalid option "${option}" (${describe(value)}): ${reason}`,
    );
  }
}

export class InvalidEndpointError extends RankingError {
  declare readonly code: 'LB_RANKING_INVALID_ENDPOINT';

  constructor(
    /** The offending id when there is one (absent for a missing or empty id). */
    readonly endpointId: string | undefined,
    readonly reason: string,
  ) {
    super(
      'LB_RANKING_INVALID_ENDPOINT',
      endpointId === undefined || endpointId === ''
        ? `Invalid endpoint: ${reason}`
        : `Invalid endpoint "${endpointId}": ${reason}`,
    );
  }
}

/** A sample, outcome or clock reading that is not a usable number (NaN, negative, missing). */
export class InvalidSampleError extends RankingError {
  declare readonly code: 'LB_RANKING_INVALID_SAMPLE';

  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super('LB_RANKING_INVALID_SAMPLE', `Invalid sample: "${field}" (${describe(value)}) ${reason}`);
  }
}

export class InvalidSeedError extends RankingError {
  declare readonly code: 'LB_RANKING_INVALID_SEED';

  constructor(readonly seed: unknown) {
    super('LB_RANKING_INVALID_SEED', `Invalid seed (${describe(seed)}): must be a safe integer`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  return typeof value;
}

/** A simulator configuration that cannot run; `path` names the field (e.g. `servers[2].id`). */
export class SimulationConfigError extends RankingError {
  declare readonly code: 'LB_RANKING_SIM_CONFIG';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('LB_RANKING_SIM_CONFIG', `Invalid simulation config at "${path}": ${reason}`);
  }
}

/**
 * A slot-table consistent hash cannot place every endpoint's replicas: the table needs more slots
 * than the replicas it holds. Thrown by a membership change, which is then not applied.
 */
export class SlotTableTooSmallError extends RankingError {
  declare readonly code: 'LB_RANKING_SLOT_TABLE_TOO_SMALL';

  constructor(
    readonly slots: number,
    readonly requiredReplicas: number,
  ) {
    super(
      'LB_RANKING_SLOT_TABLE_TOO_SMALL',
      `Slot table too small: ${requiredReplicas} replicas need more than ${slots} slots; raise "slots" or lower "replicas"`,
    );
  }
}
