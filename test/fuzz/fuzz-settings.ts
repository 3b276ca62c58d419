import { patient } from '../../src/devkit/patience.js';
/** The seed and size of the CI fuzz runs; TANDEM_FUZZ_SEED and TANDEM_FUZZ_ITERATIONS rerun or lengthen one. */
export function fuzzSeed(fallback: number): number {
  const env = process.env.TANDEM_FUZZ_SEED;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : fallback;
}

/** The CI size, scaled by TANDEM_FUZZ_ITERATIONS when set (it names the size of the largest target). */
export function fuzzIterations(ci: number): number {
  const env = process.env.TANDEM_FUZZ_ITERATIONS;
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : ci;
}

/**
 * How long a fuzz run waits for one answer before it calls the server hung (and how late an admin answer may
 * come): the fuzzers' idle-machine deadlines stretched by the test patience (src/devkit/patience.ts), so that
 * a loaded machine is not taken for a server frozen by an input.
 */
export const fuzzDeadlines = {
  clientMs: patient(5_000),
  adminMs: patient(15_000),
  adminSlowMs: patient(5_000),
  s2sMs: patient(15_000),
} as const;
