/** @module Runs the steps of a long operation, narrating each with its duration (for `-Verbose`). */

export type TimedStep = <T>(what: string, run: () => Promise<T>) => Promise<T>;

export function timedSteps(verbose: (message: string) => void): TimedStep {
  return async (what, run) => {
    const t = Date.now();
    const r = await run();
    verbose(`${what} (${Date.now() - t} ms)`);
    return r;
  };
}
