/**
 * One errors module for the library, in undici's style: a base class with a library-prefixed
 * `code`, subclasses with a literal `code`, a default message and payload fields. Match on `code`.
 */

export class RankingError extends Error {
  readonly code: string = 'LBR_ERROR';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RankingError';
  }
}

export class UnknownStrategyError extends RankingError {
  override readonly code = 'LBR_UNKNOWN_STRATEGY';
  readonly strategy: string;
  readonly validNames: readonly string[];

  constructor(strategy: string, validNames: readonly string[]) {
    super(`Unknown strategy "${strategy}"; valid strategies: ${validNames.join(', ')}`);
    this.name = 'UnknownStrategyError';
    this.strategy = strategy;
    this.validNames = validNames;
  }
}

export class InvalidStrategyOptionError extends RankingError {
  override readonly code = 'LBR_INVALID_OPTION';
  readonly option: string;
  readonly value: unknown;
  readonly reason: string;

  constructor(option: string, value: unknown, reason: string) {
    super(`Invalid option "${option}" (${describe(value)}): ${reason}`);
    this.name = 'InvalidStrategyOptionError';
    this.option = option;
    this.value = value;
    this.reason = reason;
  }
}

export class InvalidEndpointError extends RankingError {
  override readonly code = 'LBR_INVALID_ENDPOINT';
  /** The offending id when there is one (absent for a missing or empty id). */
  readonly endpointId: string | undefined;
  readonly reason: string;

  constructor(endpointId: string | undefined, reason: string) {
    super(
      endpointId === undefined || endpointId === ''
        ? `Invalid endpoint: ${reason}`
        : `Invalid endpoint "${endpointId}": ${reason}`,
    );
    this.name = 'InvalidEndpointError';
    this.endpointId = endpointId;
    this.reason = reason;
  }
}

/** A sample, outcome or clock reading that is not a usable number (NaN, negative, missing). */
export class InvalidSampleError extends RankingError {
  override readonly code = 'LBR_INVALID_SAMPLE';
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, reason: string) {
    super(`Invalid sample: "${field}" (${describe(value)}) ${reason}`);
    this.name = 'InvalidSampleError';
    this.field = field;
    this.value = value;
  }
}

export class InvalidSeedError extends RankingError {
  override readonly code = 'LBR_INVALID_SEED';
  readonly seed: unknown;

  constructor(seed: unknown) {
    super(`Invalid seed (${describe(seed)}): must be a safe integer`);
    this.name = 'InvalidSeedError';
    this.seed = seed;
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
  override readonly code = 'LBR_SIM_CONFIG';
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`Invalid simulation config at "${path}": ${reason}`);
    this.name = 'SimulationConfigError';
    this.path = path;
    this.reason = reason;
  }
}

/**
 * A slot-table consistent hash cannot place every endpoint's replicas: the table needs more slots
 * than the replicas it holds. Thrown by a membership change, which is then not applied.
 */
export class SlotTableTooSmallError extends RankingError {
  override readonly code = 'LBR_SLOT_TABLE_TOO_SMALL';
  readonly slots: number;
  readonly requiredReplicas: number;

  constructor(slots: number, requiredReplicas: number) {
    super(
      `Slot table too small: ${requiredReplicas} replicas need more than ${slots} slots; raise "slots" or lower "replicas"`,
    );
    this.name = 'SlotTableTooSmallError';
    this.slots = slots;
    this.requiredReplicas = requiredReplicas;
  }
}
