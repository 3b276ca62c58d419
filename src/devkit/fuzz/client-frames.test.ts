import { describe, expect, it } from 'vitest';
import { allOperations } from '../../protocol/operations/index.js';
import { SeededRandom } from '../seeded-random.js';
import { clientFrame, LearnedIds } from './client-frames.js';
import { inputSeed } from './input-seed.js';

const frames = (seed: number, n: number) =>
  Array.from({ length: n }, (_, i) => clientFrame(new SeededRandom(inputSeed(seed, i)), i, new LearnedIds()));

describe('the client frame generator', () => {
  it('replays the same frames from the same seed, and others from another', () => {
    const text = (seed: number) => frames(seed, 50).map((f) => f.data.toString('base64'));
    expect(text(1)).toEqual(text(1));
    expect(text(1)).not.toEqual(text(2));
  });

  it('starts from every operation of the catalog, so a new operation is fuzzed as soon as it is declared', () => {
    const types = new Set<string>();
    for (const f of frames(7, 3_000)) {
      if (f.kind !== 'example') continue;
      types.add((JSON.parse(f.data.toString()) as { type: string }).type);
    }
    expect([...types].sort()).toEqual(
      allOperations()
        .map((o) => o.type)
        .sort(),
    );
  });

  it('expects the documented close for frames the server must not answer', () => {
    const all = frames(3, 3_000);
    expect(all.some((f) => f.expectClose === 1009)).toBe(true);
    expect(all.some((f) => f.expectClose === 1007)).toBe(true);
    expect(all.filter((f) => f.expectClose === undefined).length).toBeGreaterThan(2_500);
  });
});
