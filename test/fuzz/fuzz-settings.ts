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
