import { describe, expect, it } from 'vitest';
import { TandemError } from '../../errors/index.js';
import { tokenize, type Token } from './tokenizer.js';

function kinds(tokens: Token[]): string[] {
  return tokens.map((t) => {
    switch (t.kind) {
      case 'text':
        return t.quoted ? `"${t.text}"` : t.text;
      case 'bool':
        return t.value ? '$true' : '$false';
      case 'null':
        return '$null';
      case 'param':
        return `-${t.name}${t.colon ? ':' : ''}`;
      case 'pipe':
        return '|';
      case 'comma':
        return ',';
      case 'script':
        return `{${t.text}}`;
    }
  });
}

function syntaxErrorOf(line: string): TandemError {
  try {
    tokenize(line);
  } catch (err) {
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('SHELL_SYNTAX');
    return err as TandemError;
  }
  throw new Error(`no error for ${line}`);
}

describe('tokenize', () => {
  it('splits words, parameters and values with 1-based columns', () => {
    const tokens = tokenize('Invoke-CsPoolFailover -PoolFqdn atl-cs-001.litwareinc.com');
    expect(kinds(tokens)).toEqual(['Invoke-CsPoolFailover', '-PoolFqdn', 'atl-cs-001.litwareinc.com']);
    expect(tokens.map((t) => t.column)).toEqual([1, 23, 33]);
  });

  it.each([
    ['en dash', '\u2013PoolState'],
    ['em dash', '\u2014PoolState'],
    ['horizontal bar', '\u2015PoolState'],
    ['hyphen-minus', '-PoolState'],
  ])('takes a parameter written with an %s', (_, word) => {
    expect(kinds(tokenize(`Set-X ${word} FailedOver`))).toEqual(['Set-X', '-PoolState', 'FailedOver']);
  });

  it('reads -Name:value, -Name:$true and -Name:"quoted"', () => {
    expect(kinds(tokenize('X -Force:$false -A:$TRUE -B:"x y" -C:val'))).toEqual([
      'X',
      '-Force:',
      '$false',
      '-A:',
      '$true',
      '-B:',
      '"x y"',
      '-C:',
      'val',
    ]);
  });

  it('treats negative numbers and lone dashes as values', () => {
    expect(kinds(tokenize('X -5 -1.5 - -Count'))).toEqual(['X', '-5', '-1.5', '-', '-Count']);
  });

  it('handles single quotes with doubled quotes inside', () => {
    expect(kinds(tokenize("X 'it''s here' ''"))).toEqual(['X', '"it\'s here"', '""']);
  });

  it('handles double quotes with backtick escapes and no variable expansion', () => {
    const [, token] = tokenize('X "a`"b`tc``d ""e"" $x $true"');
    expect(token).toEqual({ kind: 'text', text: 'a"b\tc`d "e" $x $true', quoted: true, column: 3 });
  });

  it('takes typographic quotes from pasted documents', () => {
    expect(kinds(tokenize('X \u201catl-cs-001\u201d \u2018b\u2019'))).toEqual(['X', '"atl-cs-001"', '"b"']);
  });

  it('recognises $true, $false and $null only as bare words', () => {
    expect(kinds(tokenize('X $True $FALSE $null "$true" $other'))).toEqual([
      'X',
      '$true',
      '$false',
      '$null',
      '"$true"',
      '$other',
    ]);
  });

  it('keeps backslashes literally', () => {
    expect(kinds(tokenize('X c:\\CsConfigurationFile.zip "c:\\dir\\"'))).toEqual([
      'X',
      'c:\\CsConfigurationFile.zip',
      '"c:\\dir\\"',
    ]);
  });

  it('concatenates bare and quoted parts of one word', () => {
    expect(kinds(tokenize('X service:"atl cs"'))).toEqual(['X', '"service:atl cs"']);
  });

  it('reads pipes and commas as their own tokens', () => {
    expect(kinds(tokenize('A|B a,b , c'))).toEqual(['A', '|', 'B', 'a', ',', 'b', ',', 'c']);
  });

  it('captures script blocks as raw text with balanced braces and quotes respected', () => {
    const tokens = tokenize('W {$_.A -eq "}" -or ($_.B -like \'{x\') -and { nested }} tail');
    expect(kinds(tokens)).toEqual(['W', '{$_.A -eq "}" -or ($_.B -like \'{x\') -and { nested }}', 'tail']);
    expect(tokens[1]?.column).toBe(3);
  });

  it('keeps a documentation placeholder with spaces as one word', () => {
    expect(kinds(tokenize('X -PoolFqdn <Pool1 FQDN> -DisasterMode'))).toEqual([
      'X',
      '-PoolFqdn',
      '<Pool1 FQDN>',
      '-DisasterMode',
    ]);
  });

  it('ignores comments and backtick line continuations', () => {
    expect(kinds(tokenize('X -A 1 `\n  -B 2 # a comment'))).toEqual(['X', '-A', '1', '-B', '2']);
    expect(kinds(tokenize('X |\n Y'))).toEqual(['X', '|', 'Y']);
  });

  it('returns nothing for a blank line', () => {
    expect(tokenize('   ')).toEqual([]);
  });

  it.each([
    ['X "abc', 3, 'no closing quote'],
    ["X 'abc", 3, 'no closing quote'],
    ['X {$_.A -eq 1', 3, "no closing '}'"],
    ['X {$_.A -eq "}}"', 3, "no closing '}'"],
    ['X }', 3, 'closes no script block'],
    ['X ; Y', 3, 'one command at a time'],
    ['X\nY', 2, 'one command at a time'],
    ['X abc`', 6, 'backtick'],
    ['X -PoolFqdn=a.b', 12, 'not -PoolFqdn=value'],
    ['X --PoolFqdn a.b', 3, 'one dash'],
  ])('rejects %j at column %i', (line, column, detail) => {
    const err = syntaxErrorOf(line);
    expect(err.params.column).toBe(column);
    expect(String(err.params.detail)).toContain(detail);
    expect(err.message).toContain(`column ${column}`);
  });
});
