import { describe, expect, it } from 'vitest';
import { formatDate, formatRecords, formatValue, truncate } from './format-output.js';

describe('formatValue', () => {
  it('renders values the way PowerShell shows them', () => {
    expect(formatValue(null)).toBe('');
    expect(formatValue(undefined)).toBe('');
    expect(formatValue(true)).toBe('True');
    expect(formatValue(false)).toBe('False');
    expect(formatValue(42)).toBe('42');
    expect(formatValue('text')).toBe('text');
    expect(formatValue(['a', 'b', 'c'])).toBe('{a, b, c}');
    expect(formatValue([])).toBe('{}');
    expect(formatValue({ Fqdn: 'a.b', Ready: true, Tags: ['x'] })).toBe('Fqdn=a.b; Ready=True; Tags={x}');
    expect(formatValue({ Outer: { Inner: 1 } })).toBe('Outer={Inner=1}');
  });

  it('shows dates in local time without the zone', () => {
    const date = new Date(2026, 10, 23, 10, 48, 9);
    expect(formatDate(date)).toBe('2026-11-23 10:48:09');
    expect(formatValue(date)).toBe('2026-11-23 10:48:09');
    expect(formatValue([date])).toBe('{2026-11-23 10:48:09}');
  });
});

describe('truncate', () => {
  it('cuts with an ellipsis', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
  });
});

describe('formatRecords', () => {
  it('returns an empty string for no records', () => {
    expect(formatRecords([])).toBe('');
  });

  it('shows a single record as a list with names padded to the longest', () => {
    const text = formatRecords([
      { Identity: 'service:atl', PoolState: 'Active', Registrars: ['a', 'b'], Backup: null },
    ]);
    expect(text).toBe(
      ['Identity   : service:atl', 'PoolState  : Active', 'Registrars : {a, b}', 'Backup     :'].join('\n'),
    );
  });

  it('shows several narrow records as a table', () => {
    const text = formatRecords([
      { Fqdn: 'atl-cs-001.litwareinc.com', PoolState: 'Active', Users: 120 },
      { Fqdn: 'dal-cs-001.litwareinc.com', PoolState: 'FailedOver', Users: 8 },
    ]);
    expect(text).toBe(
      [
        'Fqdn                      PoolState  Users',
        '----                      ---------  -----',
        'atl-cs-001.litwareinc.com Active       120',
        'dal-cs-001.litwareinc.com FailedOver     8',
      ].join('\n'),
    );
  });

  it('takes the columns of all records, in order of first appearance', () => {
    const text = formatRecords([{ A: 1 }, { B: true }]);
    expect(text.split('\n')).toEqual(['A B', '- -', '1', '  True']);
  });

  it('switches to a list for records with more than five properties, separated by blank lines', () => {
    const wide = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6 };
    const text = formatRecords([wide, wide]);
    expect(text.split('\n\n')).toHaveLength(2);
    expect(text.startsWith('A : 1\nB : 2')).toBe(true);
  });

  it('honours an explicit view', () => {
    expect(formatRecords([{ A: 1 }], { view: 'table' })).toBe('A\n-\n1');
    expect(formatRecords([{ A: 1 }, { A: 2 }], { view: 'list' })).toBe('A : 1\n\nA : 2');
  });

  it('truncates long cells with an ellipsis so that the table fits in 120 columns', () => {
    const long = 'x'.repeat(200);
    const text = formatRecords([
      { Name: 'one', Description: long },
      { Name: 'two', Description: 'short' },
    ]);
    const lines = text.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    expect(lines[2]).toBe(`one  ${'x'.repeat(114)}…`);
    expect(lines[3]).toBe('two  short');
  });

  it('fits a narrower console when asked', () => {
    const text = formatRecords(
      [
        { A: 'a'.repeat(30), B: 'b'.repeat(30) },
        { A: 'a', B: 'b' },
      ],
      { width: 40 },
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('wraps long list values under the value column', () => {
    const cmdlets = Array.from({ length: 30 }, (_, i) => `Get-CsThing${i}`);
    const text = formatRecords([{ Identity: 'CsAdministrator', Cmdlets: cmdlets }]);
    const lines = text.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    expect(lines[2]?.startsWith(' '.repeat(11))).toBe(true);
    expect(lines.slice(1).join(' ').replace(/\s+/g, ' ')).toContain('Get-CsThing29}');
  });

  it('keeps multi-line text aligned in a list and flattened in a table', () => {
    expect(formatRecords([{ Name: 'a', Note: 'one\ntwo' }])).toBe('Name : a\nNote : one\n       two');
    expect(formatRecords([{ Note: 'one\ntwo' }, { Note: 'x' }], { view: 'table' }).split('\n')[2]).toBe(
      'one two',
    );
  });
});
