import { describe, expect, it } from 'vitest';
import { TandemError, type ErrorCode } from '../../errors/index.js';
import { bindCommand, type BoundCommand } from './binder.js';
import { parseArgv, parseCommandLine } from './parser.js';
import { testRegistry } from './test-cmdlets.fixture.js';

const registry = testRegistry();

function bind(line: string): BoundCommand {
  const [cmd, ...rest] = parseCommandLine(line);
  expect(rest).toEqual([]);
  if (!cmd) throw new Error('no command');
  return bindCommand(cmd, registry);
}

function bindError(line: string, code: ErrorCode): TandemError {
  try {
    bind(line);
  } catch (err) {
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe(code);
    return err as TandemError;
  }
  throw new Error(`no error for ${line}`);
}

describe('cmdlet names', () => {
  it('are case-insensitive and bind to the canonical definition', () => {
    expect(bind('invoke-cspoolfailover -PoolFqdn a.b').def.name).toBe('Invoke-CsPoolFailover');
    expect(bind('GET-CSADMINROLE').def.name).toBe('Get-CsAdminRole');
  });

  it('suggest the closest name when unknown', () => {
    const err = bindError('Get-CsUserPoolInf -Identity x', 'SHELL_UNKNOWN_CMDLET');
    expect(err.message).toBe(
      "The term 'Get-CsUserPoolInf' is not a known cmdlet. Did you mean Get-CsUserPoolInfo?",
    );
    const far = bindError('Remove-Everything', 'SHELL_UNKNOWN_CMDLET');
    expect(far.params.suggestion).toBe('');
  });
});

describe('parameter names', () => {
  it('are case-insensitive, with aliases and unambiguous prefixes', () => {
    expect(bind('Set-CsTestSetting -DESCRIPTION x').params).toEqual({ Description: 'x' });
    expect(bind('Set-CsTestSetting -desc x').params).toEqual({ Description: 'x' });
    expect(bind('Set-CsTestSetting -Descr x').params).toEqual({ Description: 'x' });
    expect(bind('Set-CsBackupServiceConfiguration -Interval 60').params).toEqual({ SyncInterval: 60_000 });
    expect(bind('Invoke-CsPoolFailover -Pool a.b -Dis').params).toEqual({
      PoolFqdn: 'a.b',
      DisasterMode: true,
    });
  });

  it('prefer an exact match over longer names it prefixes', () => {
    expect(bind('Set-CsTestSetting -Pool x').params).toEqual({ Pool: 'x' });
    expect(bind('Set-CsTestSetting -PoolF x.y').params).toEqual({ PoolFqdn: 'x.y' });
  });

  it('reject an ambiguous prefix, listing the candidates', () => {
    const err = bindError('Invoke-CsManagementServerFailover -Mirror x', 'SHELL_AMBIGUOUS_PARAMETER');
    expect(err.params.candidates).toBe('-MirrorSqlServerFqdn or -MirrorSqlInstanceName');
    const conf = bindError('Move-CsManagementServer -Conf x', 'SHELL_AMBIGUOUS_PARAMETER');
    expect(conf.message).toContain('-ConfigurationFileName or -Confirm');
  });

  it('reject an unknown name with a suggestion', () => {
    const err = bindError('Invoke-CsPoolFailover -PoolFdqn a.b', 'SHELL_UNKNOWN_PARAMETER');
    expect(err.message).toBe("Invoke-CsPoolFailover has no parameter '-PoolFdqn'. Did you mean -PoolFqdn?");
  });

  it('accept -WhatIf and -Confirm only on cmdlets that change something', () => {
    expect(bind('Set-CsTestSetting -WhatIf').common.whatIf).toBe(true);
    const err = bindError('Get-CsAdminRole -WhatIf', 'SHELL_UNKNOWN_PARAMETER');
    expect(err.message).toContain('only by cmdlets that change something');
    expect(bind('Get-CsAdminRole -Verbose -Force').common).toEqual({
      verbose: true,
      whatIf: false,
      confirm: false,
      force: true,
    });
  });

  it('report common switches apart from the params, unless the cmdlet defines them', () => {
    const failover = bind('Invoke-CsPoolFailover -PoolFqdn a.b -Force -Confirm:$false');
    expect(failover.params).toEqual({ PoolFqdn: 'a.b' });
    expect(failover.common).toEqual({ verbose: false, whatIf: false, confirm: false, force: true });
    const move = bind('Move-CsManagementServer -Force');
    expect(move.params).toEqual({ Force: true });
    expect(move.common.force).toBe(true);
  });

  it('reject a parameter given twice, even through an alias', () => {
    bindError('Set-CsTestSetting -Description a -Desc b', 'SHELL_DUPLICATE_PARAMETER');
    bindError('Invoke-CsPoolFailover a.b -PoolFqdn c.d -Verbose -verbose', 'SHELL_DUPLICATE_PARAMETER');
  });
});

describe('switches', () => {
  it.each([
    ['-DisasterMode', true],
    ['-DisasterMode:$true', true],
    ['-DisasterMode:$false', false],
    ['-DisasterMode:true', true],
    ['-DisasterMode:False', false],
    ['\u2013DisasterMode', true],
    ['\u2014DisasterMode:$FALSE', false],
  ])('%s binds %s', (word, value) => {
    expect(bind(`Invoke-CsPoolFailover -PoolFqdn a.b ${word}`).params.DisasterMode).toBe(value);
  });

  it('never take the next word', () => {
    const err = bindError(
      'Invoke-CsPoolFailover -DisasterMode $false -PoolFqdn a.b',
      'SHELL_TOO_MANY_ARGUMENTS',
    );
    expect(err.params).toMatchObject({ value: '$false' });
  });

  it('reject other values', () => {
    bindError('Invoke-CsPoolFailover a.b -DisasterMode:maybe', 'SHELL_BAD_VALUE');
  });
});

describe('values', () => {
  it('bind positional values in position order, after named ones', () => {
    expect(bind('Set-CsTestSetting site:x 3').params).toEqual({ Identity: 'site:x', Count: 3 });
    expect(bind('Set-CsTestSetting -Identity site:x 3').params).toEqual({ Identity: 'site:x', Count: 3 });
    const err = bindError('Set-CsTestSetting a 1 extra', 'SHELL_TOO_MANY_ARGUMENTS');
    expect(err.message).toBe("Set-CsTestSetting takes no positional argument 'extra'.");
  });

  it('need a value after a non-switch parameter', () => {
    const err = bindError('Invoke-CsPoolFailover -PoolFqdn -DisasterMode', 'SHELL_BAD_VALUE');
    expect(err.message).toContain('no value follows it; give a FQDN');
    bindError('Invoke-CsPoolFailover -PoolFqdn', 'SHELL_BAD_VALUE');
  });

  it('name a missing required parameter and its type', () => {
    const err = bindError('Invoke-CsPoolFailover -DisasterMode', 'SHELL_MISSING_PARAMETER');
    expect(err.message).toBe('Invoke-CsPoolFailover needs the parameter -PoolFqdn (FQDN).');
  });

  it('lower-case and check FQDNs', () => {
    expect(bind('Invoke-CsPoolFailover ATL-CS-001.LitwareInc.com.').params.PoolFqdn).toBe(
      'atl-cs-001.litwareinc.com',
    );
    expect(bindError('Invoke-CsPoolFailover atl_cs.x', 'SHELL_BAD_VALUE').message).toContain(
      'letters, digits, hyphens',
    );
    expect(bindError('Invoke-CsPoolFailover service:a.b', 'SHELL_BAD_VALUE').message).toContain('identity');
    bindError('Invoke-CsPoolFailover -a.b', 'SHELL_BAD_VALUE');
    bindError('Invoke-CsPoolFailover ""', 'SHELL_BAD_VALUE');
  });

  it('convert and range-check integers', () => {
    expect(bind('Set-CsTestSetting -Count 10').params.Count).toBe(10);
    expect(bindError('Set-CsTestSetting -Count 11', 'SHELL_BAD_VALUE').message).toContain('between 1 and 10');
    expect(bindError('Set-CsTestSetting -Count -5', 'SHELL_BAD_VALUE').message).toContain('between 1 and 10');
    expect(bindError('Set-CsTestSetting -Count 2.5', 'SHELL_BAD_VALUE').message).toContain('whole number');
  });

  it('convert booleans', () => {
    expect(bind('Set-CsTestSetting -Enabled $false').params.Enabled).toBe(false);
    expect(bind('Set-CsTestSetting -Enabled:TRUE').params.Enabled).toBe(true);
    bindError('Set-CsTestSetting -Enabled yes', 'SHELL_BAD_VALUE');
  });

  it.each([
    ['00:02:00', 120_000],
    ['120', 120_000],
    ['00:00:05', 5_000],
    ['03:00:00', 10_800_000],
    ['0:30', 1_800_000],
  ])('convert the TimeSpan %s to %i ms', (text, ms) => {
    expect(bind(`Set-CsBackupServiceConfiguration -SyncInterval ${text}`).params.SyncInterval).toBe(ms);
  });

  it.each(['00:00:04', '4', '03:00:01', '1.00:00:00'])('reject the TimeSpan %s outside 5 s..3 h', (text) => {
    const err = bindError(`Set-CsBackupServiceConfiguration -SyncInterval ${text}`, 'SHELL_BAD_VALUE');
    expect(err.message).toContain('it must be between 00:00:05 and 03:00:00');
  });

  it('reject text that is no TimeSpan', () => {
    const err = bindError('Set-CsBackupServiceConfiguration -SyncInterval 2m', 'SHELL_BAD_VALUE');
    expect(err.message).toContain('00:02:00');
  });

  it('read a DateTime as Lync examples write it, in the local time zone, and bind it as ISO 8601 UTC', () => {
    const line =
      'Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint "D22BD4B2F5DEF4F6D8E1B2A8C0F0D3E7A1B2C3D4" -EffectiveDate "7/22/2015 1:00:00 PM" -Roll';
    expect(bind(line).params).toEqual({
      Type: 'OAuthTokenIssuer',
      Thumbprint: 'D22BD4B2F5DEF4F6D8E1B2A8C0F0D3E7A1B2C3D4',
      EffectiveDate: new Date(2015, 6, 22, 13).toISOString(),
      Roll: true,
    });
    expect(bind('Set-CsCertificate -EffectiveDate 2015-07-22T13:00:00+02:00').params.EffectiveDate).toBe(
      '2015-07-22T11:00:00.000Z',
    );
  });

  it('reject text that is no DateTime, naming the value and the forms expected', () => {
    const err = bindError('Set-CsCertificate -EffectiveDate "next tuesday"', 'SHELL_BAD_VALUE');
    expect(err.message).toContain("'next tuesday'");
    expect(err.message).toContain('ISO 8601');
    expect(err.message).toContain('7/22/2025 1:00:00 PM');
  });

  it('match enums case-insensitively and bind the canonical spelling', () => {
    expect(bind('Set-CsTestSetting -Level hIGh').params.Level).toBe('High');
    const err = bindError('Set-CsTestSetting -Level Extreme', 'SHELL_BAD_VALUE');
    expect(err.message).toContain('Low, Medium, High');
  });

  it('take lists or a single value for string[]', () => {
    expect(bind('Set-CsTestSetting -Tags a,b,"c d"').params.Tags).toEqual(['a', 'b', 'c d']);
    expect(bind('Set-CsTestSetting -Tags one').params.Tags).toEqual(['one']);
    expect(bind('Set-CsTestSetting -Tags "x,y"').params.Tags).toEqual(['x,y']);
    const [cmd] = parseArgv(['Set-CsTestSetting', '-Tags', 'a,b']);
    expect(cmd && bindCommand(cmd, registry).params.Tags).toEqual(['a', 'b']);
  });

  it('reject a list for a single-valued parameter', () => {
    bindError('Set-CsTestSetting -Description a,b', 'SHELL_BAD_VALUE');
  });

  it('bind $null as an empty string to text parameters only', () => {
    expect(bind('Set-CsTestSetting -Description $null').params.Description).toBe('');
    bindError('Set-CsTestSetting -Count $null', 'SHELL_BAD_VALUE');
  });

  it.each([
    'Invoke-CsPoolFailover -PoolFqdn <Pool1 FQDN>',
    'Invoke-CsPoolFailover -PoolFqdn "<Pool1 FQDN>" -DisasterMode',
    'Invoke-CsPoolFailover <pool>',
    'Set-CsTestSetting -Tags a,<tag>',
  ])('reject a documentation placeholder: %s', (line) => {
    const err = bindError(line, 'SHELL_BAD_VALUE');
    expect(err.message).toContain('placeholder copied from the documentation; replace it with a real value');
  });

  it('keep backslashes in paths', () => {
    expect(bind('Move-CsManagementServer -ConfigurationFileName c:\\dir\\file.zip').params).toEqual({
      ConfigurationFileName: 'c:\\dir\\file.zip',
    });
  });
});
