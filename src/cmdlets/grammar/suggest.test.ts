import { describe, expect, it } from 'vitest';
import { closest, didYouMean, levenshtein } from './suggest.js';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['same', 'same', 0],
    ['Get-CsPool', 'Get-CsPools', 1],
  ])('%s → %s = %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const names = ['Get-CsUserPoolInfo', 'Get-CsPool', 'Invoke-CsPoolFailover'];

  it('finds the nearest name case-insensitively', () => {
    expect(closest('get-csuserpoolinf', names)).toBe('Get-CsUserPoolInfo');
    expect(closest('INVOKE-CSPOOLFAILOVR', names)).toBe('Invoke-CsPoolFailover');
  });

  it('returns undefined when nothing is close enough', () => {
    expect(closest('Remove-Everything', names)).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });

  it('honours an explicit threshold and prefers the earlier candidate on ties', () => {
    expect(closest('abc', ['abd', 'abe'])).toBe('abd');
    expect(closest('abc', ['xyz'], 3)).toBe('xyz');
    expect(closest('abc', ['xyz'], 2)).toBeUndefined();
  });

  it('builds the suggestion text the error templates expect', () => {
    expect(didYouMean('Get-CsUserPoolInf', names)).toBe(' Did you mean Get-CsUserPoolInfo?');
    expect(didYouMean('PoolFdqn', ['PoolFqdn'], '-')).toBe(' Did you mean -PoolFqdn?');
    expect(didYouMean('Zzzzzzzz', names)).toBe('');
  });
});
