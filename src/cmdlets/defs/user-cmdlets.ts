/** @module Definitions of the directory cmdlets: enabling, finding, moving and importing users. */
import type { CmdletDef } from '../cmdlet-def.js';
import { identityParam, USER_IDENTITY } from './param-builders.js';

export const userCmdlets: readonly CmdletDef[] = [
  {
    name: 'Enable-CsUser',
    synopsis: 'Creates (enables) a user with a SIP address, homed on a registrar pool.',
    description:
      'The password is hashed with scrypt by the server and never stored in clear. Without -Password the user exists but cannot sign in until Set-CsUserPassword sets one.',
    category: 'user',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      identityParam('string', 'Display name, e.g. "Alice Smith".', { required: true }),
      { name: 'SipAddress', type: 'string', required: true, description: 'sip:alice@litwareinc.com' },
      { name: 'RegistrarPool', type: 'fqdn', required: true, description: 'FQDN of the home pool.' },
      { name: 'Password', type: 'string', description: 'Initial password (at least 8 characters).' },
    ],
    examples: [
      {
        command:
          'Enable-CsUser -Identity "Alice Smith" -SipAddress sip:alice@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com -Password "Correct-Horse-9"',
        description: 'Creates Alice, homed on the Atlanta pool.',
      },
    ],
  },
  {
    name: 'Get-CsUser',
    synopsis: 'Finds users by SIP address, display name, pool or a filter.',
    category: 'read',
    runsOn: 'server',
    params: [
      identityParam('string', 'SIP address or display name; * wildcards allowed.'),
      {
        name: 'Filter',
        type: 'string',
        description:
          "PowerShell-style filter, e.g. {RegistrarPool -eq 'atl-cs-001.litwareinc.com'} or {DisplayName -like 'A*'}.",
      },
      { name: 'RegistrarPool', type: 'fqdn', description: 'Only users homed on this pool.' },
      {
        name: 'ResultSize',
        type: 'int',
        min: 1,
        max: 1_000_000,
        description: 'At most this many users (default 1000).',
      },
    ],
    examples: [
      { command: 'Get-CsUser -Identity sip:alice@litwareinc.com', description: 'Shows one user.' },
      {
        command: "Get-CsUser -Filter {DisplayName -like 'Demo User 00*'}",
        description: 'Filters by display name.',
      },
    ],
  },
  {
    name: 'Disable-CsUser',
    synopsis: 'Disables a user: sign-in is refused and every sign-in token already issued is revoked.',
    category: 'user',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [USER_IDENTITY],
    examples: [
      { command: 'Disable-CsUser -Identity sip:alice@litwareinc.com', description: 'Disables Alice.' },
    ],
  },
  {
    name: 'Set-CsUserPassword',
    synopsis: "Sets a user's password (Tandem keeps its own directory; Lync used Active Directory).",
    description:
      'Also revokes every sign-in token issued to the user before the change, at every server of the deployment: clients signed in with one must sign in again with the new password (docs/sign-in.md).',
    category: 'user',
    runsOn: 'server',
    params: [
      USER_IDENTITY,
      {
        name: 'Password',
        type: 'string',
        required: true,
        description: 'The new password (at least 8 characters).',
      },
    ],
    examples: [
      {
        command: 'Set-CsUserPassword -Identity sip:alice@litwareinc.com -Password "New-Secret-42"',
        description: 'Resets the password.',
      },
    ],
  },
  {
    name: 'Move-CsUser',
    synopsis: "Rehomes a user on another pool, together with the user's data.",
    description:
      "The user's persistent data (contacts, groups, presence, meetings, settings, conference content) is copied to the target pool before the home pool changes, then removed from the old pool.",
    category: 'user',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      USER_IDENTITY,
      { name: 'Target', type: 'fqdn', required: true, description: 'FQDN of the new home pool.' },
    ],
    examples: [
      {
        command: 'Move-CsUser -Identity sip:alice@litwareinc.com -Target dal-cs-001.litwareinc.com',
        description: 'Moves Alice to Dallas.',
      },
    ],
  },
  {
    name: 'Import-CsUser',
    synopsis:
      'Creates users in bulk from a CSV file (SipAddress,DisplayName,RegistrarPool[,Password|PasswordHash]).',
    description:
      'The shell reads the file; the server validates every line first and creates nothing if a line is bad. Passwords are hashed in parallel; a PasswordHash column (as written by Tandem) skips hashing, for migrations and benchmarks; a hash whose form or scrypt cost is not one Tandem accepts is refused, naming the line and the user.',
    category: 'user',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      {
        name: 'FileName',
        type: 'path',
        required: true,
        position: 0,
        file: 'read',
        description: 'Path of the CSV file.',
      },
    ],
    examples: [
      {
        command: 'Import-CsUser -FileName users.csv',
        description: 'Creates every user listed in users.csv.',
      },
    ],
  },
  {
    name: 'Get-CsUserPoolInfo',
    synopsis: "Shows a user's primary and backup pools, their registrars and the servers in preferred order.",
    category: 'read',
    runsOn: 'server',
    params: [USER_IDENTITY],
    examples: [
      {
        command: 'Get-CsUserPoolInfo -Identity sip:alice@litwareinc.com',
        description: 'Shows where Alice is served.',
      },
    ],
  },
];
