/** @module Each fuzz input gets its own seed from the run's seed and its index, so one input can be replayed alone. */
export function inputSeed(seed: number, index: number): number {
  return (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
}
