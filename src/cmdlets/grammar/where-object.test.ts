import { describe, expect, it } from 'vitest';
import { TandemError } from '../../errors/index.js';
import { parseCommandLine } from './parser.js';
import {
  compileFilter,
  compileSimpleFilter,
  compileWhereObject,
  MAX_CONDITION_CHARS,
} from './where-object.js';
import { bothCases, PatternLimits, wildcardToRegExp } from './where-compare.js';

const POOLS: Record<string, unknown>[] = [
  {
    Fqdn: 'atl-cs-001.litwareinc.com',
    PoolState: 'Active',
    Users: 120,
    Servers: ['atl-fe-01', 'atl-fe-02'],
    Backup: { Fqdn: 'dal-cs-001.litwareinc.com', Ready: true },
    IsCentral: true,
    LastSync: new Date('2026-11-23T10:48:09Z'),
  },
  {
    Fqdn: 'dal-cs-001.litwareinc.com',
    PoolState: 'FailedOver',
    Users: 80,
    Servers: ['dal-fe-01'],
    Backup: { Fqdn: 'atl-cs-001.litwareinc.com', Ready: false },
    IsCentral: false,
    LastSync: new Date('2026-11-22T08:00:00Z'),
  },
  { Fqdn: 'sea-cs-001.litwareinc.com', PoolState: null, Users: 0, Servers: [], IsCentral: false },
];

function select(script: string): unknown[] {
  const filter = compileFilter(script);
  return POOLS.filter(filter).map((p) => (p.Fqdn as string).slice(0, 3));
}

function syntaxError(fn: () => unknown): TandemError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('SHELL_SYNTAX');
    return err as TandemError;
  }
  throw new Error('expected SHELL_SYNTAX');
}

describe('compileFilter', () => {
  it.each([
    ["{$_.PoolState -eq 'Active'}", ['atl']],
    ["$_.poolstate -EQ 'active'", ['atl']],
    ["{$_.PoolState -ceq 'active'}", []],
    ["{$_.PoolState -ne 'Active'}", ['dal', 'sea']],
    ['{$_.PoolState -eq $null}', ['sea']],
    ["{$_.Fqdn -like 'DAL-*'}", ['dal']],
    ["{$_.Fqdn -like '???-cs-001.*'}", ['atl', 'dal', 'sea']],
    ["{$_.Fqdn -notlike '*atl*'}", ['dal', 'sea']],
    ['{$_.Fqdn \u2013match "^(atl|sea)"}', ['atl', 'sea']],
    ['{$_.Fqdn \u2014notmatch "ATL"}', ['dal', 'sea']],
    ['{$_.Users -gt 80}', ['atl']],
    ['{$_.Users -ge 80}', ['atl', 'dal']],
    ["{$_.Users -lt '80'}", ['sea']],
    ['{$_.Users -le 80 -and $_.Users -gt 0}', ['dal']],
    ["{$_.PoolState -eq 'Active' -or $_.Users -eq 0}", ['atl', 'sea']],
    ["{-not ($_.PoolState -eq 'Active')}", ['dal', 'sea']],
    ["{!($_.PoolState -eq 'Active') -and ($_.Users -gt 10)}", ['dal']],
    ['{$_.IsCentral}', ['atl']],
    ['{$_.IsCentral -eq $false}', ['dal', 'sea']],
    ["{$_.Servers -eq 'ATL-FE-02'}", ['atl']],
    ["{$_.Servers -match 'fe-01'}", ['atl', 'dal']],
    ["{$_.Servers -like 'dal*'}", ['dal']],
    ["{$_.Servers -contains 'Dal-Fe-01'}", ['dal']],
    ["{$_.Servers -notcontains 'dal-fe-01'}", ['atl', 'sea']],
    ["{$_.PoolState -in 'active', 'x'}", ['atl']],
    ["{$_.PoolState -notin 'active','FailedOver'}", ['sea']],
    ["{'atl-fe-01','x' -contains 'X'}", ['atl', 'dal', 'sea']],
    ['{$_.Servers.Count -gt 1}', ['atl']],
    ['{$_.Backup.Ready}', ['atl']],
    ["{$_.backup.fqdn -like 'atl*'}", ['dal']],
    ["{$_.LastSync -gt '2026-11-23'}", ['atl']],
    ["{$_.Missing -eq 'x'}", []],
    ['{$PSItem.Users -eq 120}', ['atl']],
  ])('%s', (script, expected) => {
    expect(select(script)).toEqual(expected);
  });

  it.each([
    ['{}', 'empty'],
    ['{$_.PoolState -eq Active}', 'quote text'],
    ["{$_.PoolState -equals 'x'}", 'unknown operator -equals'],
    ["{$x.PoolState -eq 'x'}", 'only $_'],
    ["{$_.PoolState -eq 'x' $_.Users}", 'join conditions'],
    ["{($_.PoolState -eq 'x'}", "')' is missing"],
    ['{$_.PoolState -eq}', 'ends where a value was expected'],
    ['{-eq 1}', 'needs a value before it'],
    ["{$_.A -in 'a',}", 'ends where a value was expected'],
    ["{$_.Fqdn -match '(unclosed'}", 'regular expression is invalid'],
    ["{$_.Fqdn -match '(a)\\1'}", 'linear time'],
    ["{$_.Name.StartsWith('a')}", 'method calls'],
    ["{$_.A -eq 'unterminated}", 'no closing quote'],
  ])('rejects %s', (script, detail) => {
    const err = syntaxError(() => compileFilter(script));
    expect(String(err.params.detail)).toContain(detail);
  });

  it('points its errors into the command line', () => {
    const line = 'Get-CsPool | Where-Object {$_.PoolState -eq Active}';
    const [, where] = parseCommandLine(line);
    const err = syntaxError(() => compileWhereObject(where!.args));
    expect(err.params.column).toBe(line.indexOf('Active') + 1);
  });
});

describe('compileSimpleFilter', () => {
  it('takes property, operator and value apart', () => {
    expect(POOLS.filter(compileSimpleFilter('PoolState', '-eq', 'failedover')).length).toBe(1);
    expect(POOLS.filter(compileSimpleFilter('Users', '\u2013gt', '50')).length).toBe(2);
    expect(POOLS.filter(compileSimpleFilter('Backup.Ready', 'eq', true)).length).toBe(1);
    expect(POOLS.filter(compileSimpleFilter('IsCentral')).length).toBe(1);
  });

  it('rejects an unknown operator', () => {
    expect(String(syntaxError(() => compileSimpleFilter('A', '-is', 'x')).params.detail)).toContain(
      'no operator -is',
    );
  });
});

describe('compileWhereObject', () => {
  const count = (line: string): number =>
    POOLS.filter(compileWhereObject(parseCommandLine(line)[0]!.args)).length;

  it('takes a script block, -FilterScript, or the simplified syntax', () => {
    expect(count("Where-Object {$_.PoolState -eq 'Active'}")).toBe(1);
    expect(count("Where-Object -FilterScript {$_.PoolState -eq 'Active'}")).toBe(1);
    expect(count('Where-Object PoolState -eq Active')).toBe(1);
    expect(count('Where-Object PoolState \u2013NE Active')).toBe(2);
    expect(count('Where-Object -Property Users -GT -Value 10')).toBe(2);
    expect(count('Where-Object Servers -Contains atl-fe-01')).toBe(1);
    expect(count('Where-Object IsCentral')).toBe(1);
  });

  it('rejects incomplete or surplus arguments', () => {
    expect(() => count('Where-Object')).toThrow(/needs the parameter -FilterScript/);
    expect(() => count('Where-Object PoolState -eq')).toThrow(/needs a value/);
    expect(() => count('Where-Object a -eq b c')).toThrow(/no positional argument/);
  });
});

describe('wildcardToRegExp', () => {
  it('supports *, ?, character classes and backtick escapes', () => {
    expect(wildcardToRegExp('a*c').test('ABBC')).toBe(true);
    expect(wildcardToRegExp('a?c').test('abbc')).toBe(false);
    expect(wildcardToRegExp('[a-c]x').test('bx')).toBe(true);
    expect(wildcardToRegExp('a`*').test('a*')).toBe(true);
    expect(wildcardToRegExp('a`*').test('ab')).toBe(false);
    expect(wildcardToRegExp('a.b(c)').test('a.b(c)')).toBe(true);
  });

  it('matches either case without the i flag, which the linear engine lacks', () => {
    expect(bothCases('ab[c-d]x\\d(?<Name>q)[^e]')).toBe('[aA][bB][c-dC-D][xX]\\d(?<Name>[qQ])[^eE]');
    const filter = compileFilter("{$_.Fqdn -match '^ATL-[a-c]S'}");
    expect(filter({ Fqdn: 'atl-cs-001' })).toBe(true);
    expect(compileFilter("{$_.Fqdn -cmatch '^ATL'}")({ Fqdn: 'atl-cs-001' })).toBe(false);
  });

  it('runs -match in linear time: a catastrophic pattern cannot stall the server', () => {
    const filter = compileFilter("{$_.Fqdn -match '(a+)+$'}");
    // A backtracking engine needs about 2^5000 steps for the first: the test would never end (no duration is
    // asserted, so a loaded machine cannot fail it; a backtracking engine cannot pass it).
    expect(filter({ Fqdn: `${'a'.repeat(5_000)}!` })).toBe(false);
    expect(filter({ Fqdn: 'aaaa' })).toBe(true);
  });

  it('matches as a naive expansion does, in linear time on patterns of many stars', () => {
    const naive = (p: string) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        'i',
      );
    for (const p of ['*', 'a*', '*a', '*a*', 'a*b*c', '**a**', '*?b*', 'a*a*a', '*b?', '']) {
      for (const t of ['', 'a', 'ab', 'abc', 'aXbYc', 'ba', 'aaa', 'bab', 'xbz']) {
        expect(wildcardToRegExp(p).test(t), `${p} on '${t}'`).toBe(naive(p).test(t));
      }
    }
    // Exponential on a backtracking expansion: these would not end in the test's lifetime.
    expect(wildcardToRegExp(`${'*'.repeat(40)}x`).test('sip:user005@litwareinc.com'.repeat(4))).toBe(false);
    expect(wildcardToRegExp(`${'*a'.repeat(20)}*x`).test('a'.repeat(200))).toBe(false);
    expect(wildcardToRegExp(`${'*a'.repeat(20)}*`).test('a'.repeat(200))).toBe(true);
  });
});

describe('compileFilter bounds', () => {
  it('refuses deep nesting and very long conditions with a syntax error, not a stack overflow', () => {
    expect(() => compileFilter(`{${'('.repeat(150)}1${')'.repeat(150)}}`)).toThrow(/nests more than 100/);
    expect(() => compileFilter(`{${'-not '.repeat(150)}1}`)).toThrow(/nests more than 100/);
    expect(() => compileFilter(`{${'('.repeat(20_000)}1${')'.repeat(20_000)}}`)).toThrow(/too long/);
    expect(() => compileFilter(`{${'1 -and '.repeat(20_000)}1}`)).toThrow(/too long/);
    expect(compileFilter(`{${'('.repeat(50)}$_.A -eq 1${')'.repeat(50)}}`)({ A: 1 })).toBe(true);
    expect(compileFilter(`{${'$_.A -eq 1 -and '.repeat(200)}$_.A -eq 1}`)({ A: 1 })).toBe(true);
  });
});

describe('compileFilter with bare properties (Get-CsUser -Filter)', () => {
  it('reads bare names as properties', () => {
    const f = compileFilter("{RegistrarPool -eq 'atl-cs-001.litwareinc.com' -and DisplayName -like 'A*'}", {
      bareProperties: true,
    });
    expect(f({ RegistrarPool: 'atl-cs-001.litwareinc.com', DisplayName: 'Alice Smith' })).toBe(true);
    expect(f({ RegistrarPool: 'dal-cs-001.litwareinc.com', DisplayName: 'Alice Smith' })).toBe(false);
    expect(f({ RegistrarPool: 'atl-cs-001.litwareinc.com', DisplayName: 'Bob' })).toBe(false);
  });
  it('still refuses bare words without the option', () => {
    expect(() => compileFilter("{RegistrarPool -eq 'x'}")).toThrow(/not a value here/);
  });
});

describe('limits of a condition run on the server', () => {
  const syntaxMessage = (text: string): string => {
    try {
      compileFilter(text, { bareProperties: true });
    } catch (err) {
      expect((err as TandemError).code).toBe('SHELL_SYNTAX');
      return (err as TandemError).message;
    }
    throw new Error('expected a refusal');
  };

  it('refuses a condition over the length limit without quoting it', () => {
    const message = syntaxMessage(`{Name -eq '${'x'.repeat(MAX_CONDITION_CHARS)}'}`);
    expect(message).toContain(`at most ${MAX_CONDITION_CHARS} characters`);
    expect(message).not.toContain('xxxx');
  });

  it('refuses -match patterns past the size, nesting and alternation limits', () => {
    let nested = 'a';
    for (let i = 0; i <= PatternLimits.maxGroupDepth; i++) nested = `(a|${nested})`;
    expect(syntaxMessage(`{Name -match '${nested}'}`)).toContain('nests too deeply');
    const many = Array.from({ length: PatternLimits.maxAlternatives + 2 }, (_, i) => `a${i}`).join('|');
    expect(syntaxMessage(`{Name -match '${many}'}`)).toContain('too many alternatives');
    expect(syntaxMessage(`{Name -match '${'a'.repeat(PatternLimits.maxChars + 1)}'}`)).toContain('too long');
    expect(compileFilter("{Name -match '^(carol|dave)$'}", { bareProperties: true })({ Name: 'Dave' })).toBe(
      true,
    );
  });
});
