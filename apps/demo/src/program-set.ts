/**
 * The programs the demo started, so that whatever happens every one of them is stopped (newest
 * first: the balancer before the servers it probes) and its process group emptied.
 */
import type { ChildExit, ChildProgram } from './child-program.js';

export class ProgramSet {
  readonly #programs: ChildProgram[] = [];
  readonly #killAll = () => {
    for (const program of this.#programs) program.signalGroup('SIGKILL');
  };

  constructor() {
    // Last resort: if the demo itself dies of a bug, no child may outlive it.
    process.on('exit', this.#killAll);
  }

  add(program: ChildProgram): ChildProgram {
    this.#programs.push(program);
    return program;
  }

  /** Stops them all; returns what happened to those that were still running. */
  async stopAll(
    graceMs: number,
    hurry: AbortSignal,
  ): Promise<Array<{ program: ChildProgram; exit: ChildExit }>> {
    const stopped: Array<{ program: ChildProgram; exit: ChildExit }> = [];
    for (const program of [...this.#programs].reverse()) {
      const wasRunning = program.running;
      // Also for the clients that exited on their own: their process groups must be empty too.
      const exit = await program.stop(graceMs, hurry);
      if (wasRunning) stopped.push({ program, exit });
    }
    process.off('exit', this.#killAll);
    return stopped;
  }
}
