/** @module Definitions of the RBAC cmdlets: roles and administrator credentials. */
import type { CmdletDef } from '../cmdlet-def.js';
import { identityParam } from './param-builders.js';

const ROLE_VALUES = [
  'CsAdministrator',
  'CsServerAdministrator',
  'CsUserAdministrator',
  'CsViewOnlyAdministrator',
];

export const adminCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsAdminRole',
    synopsis: 'Lists the administrative roles and the cmdlets each role may run.',
    category: 'read',
    runsOn: 'server',
    params: [identityParam('enum', 'One role.', { values: ROLE_VALUES })],
    examples: [
      { command: 'Get-CsAdminRole', description: 'Lists every role.' },
      {
        command: 'Get-CsAdminRole | Where-Object {$_.Cmdlets -match "Invoke-CsPoolFailover"}',
        description:
          "Finds the roles that may fail a pool over (as in Lync's Invoke-CsPoolFailOver reference).",
      },
    ],
  },
  {
    name: 'New-CsAdminCredential',
    synopsis: 'Creates an administrator credential with a role; prints its secret once.',
    description:
      'Tandem keeps administrators in the CMS (Lync used Active Directory groups). Only the SHA-256 of the secret is stored.',
    category: 'admin',
    runsOn: 'server',
    params: [
      identityParam('string', 'Name of the administrator.', { required: true }),
      { name: 'Role', type: 'enum', values: ROLE_VALUES, required: true, description: 'The role granted.' },
    ],
    examples: [
      {
        command: 'New-CsAdminCredential -Identity helpdesk -Role CsViewOnlyAdministrator',
        description: 'Creates a view-only administrator.',
      },
    ],
  },
  {
    name: 'Get-CsAdminCredential',
    synopsis: 'Lists administrator credentials and their roles (never their secrets).',
    category: 'read',
    runsOn: 'server',
    params: [],
    examples: [{ command: 'Get-CsAdminCredential', description: 'Lists administrators.' }],
  },
  {
    name: 'Remove-CsAdminCredential',
    synopsis: 'Deletes an administrator credential.',
    category: 'admin',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [identityParam('string', 'Name of the administrator.', { required: true })],
    examples: [
      {
        command: 'Remove-CsAdminCredential -Identity helpdesk',
        description: 'Revokes the helpdesk credential.',
      },
    ],
  },
];
