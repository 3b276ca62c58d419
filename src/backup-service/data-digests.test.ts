import { describe, expect, it } from 'vitest';
import { compareData, compareDigests } from './data-digests.js';

describe('data digests', () => {
  it('names each differing owner and how it differs, in the order asked', () => {
    const home = new Map([
      ['sip:a@x', '1'],
      ['sip:b@x', '2'],
      ['sip:c@x', '3'],
    ]);
    const copy = new Map([
      ['sip:a@x', '1'],
      ['sip:c@x', '9'],
      ['sip:d@x', '4'],
    ]);
    expect(compareDigests(['sip:d@x', 'sip:c@x', 'sip:b@x', 'sip:a@x', 'sip:e@x'], home, copy)).toEqual([
      { owner: 'sip:d@x', difference: 'only-second' },
      { owner: 'sip:c@x', difference: 'differs' },
      { owner: 'sip:b@x', difference: 'only-first' },
    ]);
  });

  it('asks both pools for the same owners', async () => {
    const asked: [string, readonly string[]][] = [];
    const digests = async (pool: string, owners: readonly string[]) => {
      asked.push([pool, owners]);
      return new Map(pool === 'p' ? [['sip:a@x', '1']] : []);
    };
    expect(await compareData(digests, 'p', 'b', ['sip:a@x'])).toEqual([
      { owner: 'sip:a@x', difference: 'only-first' },
    ]);
    expect(asked).toEqual([
      ['p', ['sip:a@x']],
      ['b', ['sip:a@x']],
    ]);
  });
});
