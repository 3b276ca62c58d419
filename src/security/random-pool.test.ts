import { describe, expect, it } from 'vitest';
import { fillRandom, randomHex } from './random-pool.js';

describe('random pool', () => {
  it('gives hex ids of the asked length that do not repeat across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const id = randomHex(6);
      expect(id).toMatch(/^[0-9a-f]{12}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(5_000);
  });

  it('fills a slice of a buffer and leaves the rest alone', () => {
    const masks = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const b = Buffer.alloc(8, 0xee);
      fillRandom(b, 2, 4);
      expect(b.subarray(0, 2).equals(Buffer.from([0xee, 0xee]))).toBe(true);
      expect(b.subarray(6).equals(Buffer.from([0xee, 0xee]))).toBe(true);
      masks.add(b.subarray(2, 6).toString('hex'));
    }
    // 2,000 draws of 32 bits: a repeat is possible but vanishingly rare (p ≈ 5e-4); most must differ.
    expect(masks.size).toBeGreaterThan(1_990);
  });

  it('refuses sizes it cannot serve', () => {
    expect(() => randomHex(0)).toThrow(RangeError);
    expect(() => randomHex(257)).toThrow(RangeError);
    expect(() => randomHex(1.5)).toThrow(RangeError);
    expect(() => fillRandom(Buffer.alloc(4), 0, 0)).toThrow(RangeError);
  });
});
