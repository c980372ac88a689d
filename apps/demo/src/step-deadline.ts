/**
 * A deadline for one step of a phase: a child that hangs must end the demo with a message naming
 * the step, never keep it (or CI) waiting forever.
 */
import { StepTimeoutError } from './demo-errors.js';

interface ProgramInfo {
  readonly name: string;
  readonly pid: number;
  readonly stderrTail: readonly string[];
}

/** Runs `work` with a signal that also aborts, with a StepTimeoutError, after `ms`. */
export async function withDeadline<T>(
  step: string,
  ms: number,
  program: ProgramInfo | undefined,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new StepTimeoutError(step, Math.round(ms / 1000), program)),
    ms,
  );
  try {
    return await work(AbortSignal.any([signal, deadline.signal]));
  } finally {
    clearTimeout(timer);
  }
}
