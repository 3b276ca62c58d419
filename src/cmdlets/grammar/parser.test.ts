import { describe, expect, it } from 'vitest';
import { TandemError } from '../../errors/index.js';
import { parseArgv, parseCommandLine } from './parser.js';

function errorOf(fn: () => unknown): TandemError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TandemError);
    return err as TandemError;
  }
  throw new Error('expected an error');
}

describe('parseCommandLine', () => {
  it('parses a command with named, switch and positional arguments', () => {
    expect(parseCommandLine('Invoke-CsPoolFailover atl -DisasterMode -PoolFqdn:"x" -Force:$false')).toEqual([
      {
        name: 'Invoke-CsPoolFailover',
        column: 1,
        args: [
          { kind: 'value', value: { kind: 'text', text: 'atl', quoted: false }, column: 23 },
          { kind: 'param', name: 'DisasterMode', column: 27 },
          { kind: 'param', name: 'PoolFqdn', value: { kind: 'text', text: 'x', quoted: true }, column: 41 },
          { kind: 'param', name: 'Force', value: { kind: 'bool', value: false }, column: 55 },
        ],
      },
    ]);
  });

  it('splits a pipeline and keeps the script block raw', () => {
    const pipeline = parseCommandLine(
      'Get-CsAdminRole | Where-Object {$_.Cmdlets \u2013match "Invoke-CsPoolFailover"}',
    );
    expect(pipeline.map((c) => c.name)).toEqual(['Get-CsAdminRole', 'Where-Object']);
    expect(pipeline[1]?.args).toEqual([
      {
        kind: 'value',
        value: { kind: 'script', text: '$_.Cmdlets \u2013match "Invoke-CsPoolFailover"' },
        column: 32,
      },
    ]);
  });

  it('joins comma-separated values into one list, spaces allowed', () => {
    const [cmd] = parseCommandLine("X -Tags a,'b c', d -Other:e,f g");
    expect(cmd?.args).toEqual([
      { kind: 'param', name: 'Tags', column: 3 },
      { kind: 'value', value: { kind: 'list', items: ['a', 'b c', 'd'] }, column: 9 },
      { kind: 'param', name: 'Other', value: { kind: 'list', items: ['e', 'f'] }, column: 20 },
      { kind: 'value', value: { kind: 'text', text: 'g', quoted: false }, column: 31 },
    ]);
  });

  it('reads $null and $true as values', () => {
    const [cmd] = parseCommandLine('X $null $TRUE');
    expect(cmd?.args.map((a) => a.kind === 'value' && a.value)).toEqual([
      { kind: 'null' },
      { kind: 'bool', value: true },
    ]);
  });

  it('returns an empty pipeline for a blank line or a comment', () => {
    expect(parseCommandLine('')).toEqual([]);
    expect(parseCommandLine('  # nothing')).toEqual([]);
  });

  it.each([
    ['| X', 1],
    ['X |', 3],
    ['X | | Y', 5],
    ['-Force', 1],
    ['X a,', 4],
    ['X ,a', 3],
    ['X a,{b}', 5],
  ])('rejects %j with SHELL_SYNTAX at column %i', (line, column) => {
    const err = errorOf(() => parseCommandLine(line));
    expect(err.code).toBe('SHELL_SYNTAX');
    expect(err.params.column).toBe(column);
  });

  it('rejects -Name: with nothing after it', () => {
    const err = errorOf(() => parseCommandLine('X -Force:'));
    expect(err.code).toBe('SHELL_BAD_VALUE');
    expect(err.params).toMatchObject({ name: 'Force', cmdlet: 'X' });
  });
});

describe('parseArgv', () => {
  it('takes each argv word as one word, never re-splitting it', () => {
    const [cmd] = parseArgv(['Set-CsTestSetting', '-Description', 'two words', 'a,b']);
    expect(cmd?.args).toEqual([
      { kind: 'param', name: 'Description', column: 19 },
      { kind: 'value', value: { kind: 'text', text: 'two words', quoted: false }, column: 32 },
      { kind: 'value', value: { kind: 'text', text: 'a,b', quoted: false }, column: 42 },
    ]);
  });

  it('recognises -Name, -Name:value, dashes, $true/$false and script words', () => {
    const [cmd] = parseArgv([
      'X',
      '\u2013PoolState',
      'Active',
      '-Force:$false',
      '-Id:"service:a"',
      '{$_.A -eq 1}',
      '-5',
    ]);
    expect(cmd?.args.map((a) => (a.kind === 'param' ? [a.name, a.value] : a.value))).toEqual([
      ['PoolState', undefined],
      { kind: 'text', text: 'Active', quoted: false },
      ['Force', { kind: 'bool', value: false }],
      ['Id', { kind: 'text', text: 'service:a', quoted: true }],
      { kind: 'script', text: '$_.A -eq 1' },
      { kind: 'text', text: '-5', quoted: false },
    ]);
  });

  it('splits the pipeline on a | word', () => {
    const pipeline = parseArgv(['Get-CsAdminRole', '|', 'Where-Object', '{$_.Identity -like "Cs*"}']);
    expect(pipeline.map((c) => c.name)).toEqual(['Get-CsAdminRole', 'Where-Object']);
  });

  it('parses a single word holding whitespace as a whole command line', () => {
    expect(parseArgv(['Get-CsAdminRole | Where-Object {$_.Cmdlets -match "x"}'])).toEqual(
      parseCommandLine('Get-CsAdminRole | Where-Object {$_.Cmdlets -match "x"}'),
    );
    expect(parseArgv(['Get-CsPool'])).toEqual([{ name: 'Get-CsPool', args: [], column: 1 }]);
    expect(parseArgv([])).toEqual([]);
  });

  it('explains an empty -Name: value as bash having expanded $false', () => {
    const err = errorOf(() => parseArgv(['Move-CsManagementServer', '-Force:']));
    expect(err.code).toBe('SHELL_BAD_VALUE');
    expect(err.message).toContain("the value after ':' is empty");
    expect(err.message).toContain("'-Force:$false'");
    expect(err.message).toContain('bash');
  });

  it.each([[['|', 'X']], [['X', '|']], [['-Force']]])('rejects %j', (argv) => {
    expect(errorOf(() => parseArgv(argv)).code).toBe('SHELL_SYNTAX');
  });
});
