/**
 * @module Generates docs/cmdlets.md from the cmdlet registry: an index by area, then one section per cmdlet.
 * The output is deterministic (no dates), so a test can compare it with the committed file.
 */
import type { CmdletDef, ParamDef } from '../../cmdlets/cmdlet-def.js';
import { rolesAllowed } from '../../cmdlets/rbac.js';
import {
  availabilityText,
  descriptionText,
  orderedParams,
  positionText,
  rangeText,
  rolesText,
  syntaxLine,
  typeLabel,
} from './render-help.js';

const OTHER = 'Other';

const TOPOLOGY = 'Topology';
const USERS = 'Users';
const ADMINISTRATORS = 'Administrators and roles';
const REGISTRAR = 'Registrar configuration';
const BACKUP_SERVICE = 'Backup Service';
const POOL_FAILOVER = 'Pool failover and failback';
const CMS = 'Central Management Store';
const DATABASES = 'Database mirroring and Persistent Chat';
const CERTIFICATES = 'Certificates';
const SHELL = 'Shell';

/** The index section of each cmdlet; a cmdlet missing here is listed under "Other". */
const SECTION_OF: Readonly<Record<string, string>> = {
  'Get-CsTopology': TOPOLOGY,
  'Publish-CsTopology': TOPOLOGY,
  'Export-CsTopology': TOPOLOGY,
  'Get-CsCertificate': CERTIFICATES,
  'Request-CsCertificate': CERTIFICATES,
  'Import-CsCertificate': CERTIFICATES,
  'Set-CsCertificate': CERTIFICATES,
  'Get-CsPool': TOPOLOGY,
  'Get-CsSite': TOPOLOGY,
  'Get-CsPoolBackupRelationship': TOPOLOGY,
  'Get-CsEdgeServer': TOPOLOGY,
  'Set-CsEdgeServer': TOPOLOGY,
  'Enable-CsUser': USERS,
  'Get-CsUser': USERS,
  'Disable-CsUser': USERS,
  'Set-CsUserPassword': USERS,
  'Move-CsUser': USERS,
  'Import-CsUser': USERS,
  'Get-CsUserPoolInfo': USERS,
  'Get-CsAdminRole': ADMINISTRATORS,
  'New-CsAdminCredential': ADMINISTRATORS,
  'Get-CsAdminCredential': ADMINISTRATORS,
  'Remove-CsAdminCredential': ADMINISTRATORS,
  'Get-CsRegistrarConfiguration': REGISTRAR,
  'Get-CsPoolFabricState': REGISTRAR,
  'Reset-CsPoolRegistrarState': REGISTRAR,
  'Get-CsBackupServiceStatus': BACKUP_SERVICE,
  'Invoke-CsBackupServiceSync': BACKUP_SERVICE,
  'Get-CsBackupServiceConfiguration': BACKUP_SERVICE,
  'Set-CsBackupServiceConfiguration': BACKUP_SERVICE,
  'Test-CsBackupServiceData': BACKUP_SERVICE,
  'Invoke-CsStorageServiceFlush': BACKUP_SERVICE,
  'Invoke-CsPoolFailOver': POOL_FAILOVER,
  'Invoke-CsPoolFailBack': POOL_FAILOVER,
  'Get-CsPoolDivergentChange': POOL_FAILOVER,
  'Restore-CsPoolDivergentChange': POOL_FAILOVER,
  'Remove-CsPoolDivergentChange': POOL_FAILOVER,
  'Get-CsManagementStoreReplicationStatus': CMS,
  'Invoke-CsManagementServerFailover': CMS,
  'Get-CsManagementStoreDivergentChange': CMS,
  'Move-CsManagementServer': CMS,
  'Install-CsDatabase': CMS,
  Bootstrapper: CMS,
  'Get-CsDatabaseMirrorState': DATABASES,
  'Invoke-CsDatabaseFailover': DATABASES,
  'Install-CsMirrorDatabase': DATABASES,
  'Set-CsPersistentChatState': DATABASES,
  'Set-CsPersistentChatActiveServer': DATABASES,
  'Get-Help': SHELL,
  'Get-Command': SHELL,
  'Where-Object': SHELL,
};

export function sectionOf(def: CmdletDef): string {
  return SECTION_OF[def.name] ?? OTHER;
}

/** Groups in the order their first cmdlet appears; "Other" always last. */
export function groupCmdlets(defs: readonly CmdletDef[]): [string, CmdletDef[]][] {
  const groups = new Map<string, CmdletDef[]>();
  for (const def of defs) {
    const title = sectionOf(def);
    const members = groups.get(title) ?? [];
    members.push(def);
    groups.set(title, members);
  }
  const other = groups.get(OTHER);
  groups.delete(OTHER);
  return [...groups.entries(), ...(other ? [[OTHER, other] as [string, CmdletDef[]]] : [])];
}

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces as `-`. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/**
 * Escapes prose for Markdown outside its code spans, so that `<pool FQDN>` is not taken for an HTML tag
 * (and dropped) and `*Failover*` is not set in italics.
 */
function prose(text: string): string {
  return text
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_<>[\]]/g, '\\$&')))
    .join('');
}

/** Makes text safe inside a table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function availableCell(def: CmdletDef): string {
  return def.notYetAvailable === undefined ? 'yes' : 'not yet';
}

function rolesCell(def: CmdletDef): string {
  return def.runsOn === 'shell' ? 'none (runs in the shell)' : rolesAllowed(def).join(', ');
}

function typeCell(param: ParamDef): string {
  return typeLabel(param) ?? 'Switch';
}

function paramDescription(param: ParamDef): string {
  const notes: string[] = [prose(param.description)];
  if (param.type === 'enum') notes.push(`Values: ${(param.values ?? []).map((v) => `\`${v}\``).join(', ')}.`);
  const range = rangeText(param);
  if (range !== undefined) notes.push(`Range: ${range}.`);
  if (param.aliases && param.aliases.length > 0) notes.push(`Aliases: ${param.aliases.join(', ')}.`);
  return notes.join(' ');
}

function indexTable(groups: readonly [string, CmdletDef[]][]): string[] {
  const lines: string[] = ['## Index', ''];
  for (const [title, members] of groups) {
    lines.push(`**${title}**`, '', '| Cmdlet | Available | Roles | Synopsis |', '| --- | --- | --- | --- |');
    for (const def of members) {
      const link = `[${def.name}](#${anchor(def.name)})`;
      lines.push(
        `| ${link} | ${availableCell(def)} | ${cell(rolesCell(def))} | ${cell(prose(def.synopsis))} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

function paramTable(def: CmdletDef): string[] {
  const params = orderedParams(def);
  if (params.length === 0) return ['This cmdlet takes no parameters besides the common ones.'];
  return [
    '| Parameter | Type | Required | Position | Description |',
    '| --- | --- | --- | --- | --- |',
    ...params.map(
      (p) =>
        `| \`-${p.name}\` | ${cell(typeCell(p))} | ${p.required ? 'yes' : 'no'} | ${positionText(p)} | ${cell(paramDescription(p))} |`,
    ),
  ];
}

function commonParamsLine(def: CmdletDef): string {
  const names = def.supportsShouldProcess
    ? '`-WhatIf`, `-Confirm`, `-Verbose` and `-Force`'
    : '`-Verbose` and `-Force`';
  return `Common parameters: ${names}.`;
}

function cmdletSection(def: CmdletDef): string[] {
  const availability = availabilityText(def);
  const lines: string[] = [`### ${def.name}`, '', prose(descriptionText(def)), ''];
  if (availability !== undefined) lines.push(`> ${prose(availability)}`, '');
  lines.push('```text', syntaxLine(def), '```', '');
  lines.push('**Parameters**', '', ...paramTable(def), '', commonParamsLine(def), '');
  lines.push(`**Roles:** ${rolesText(def)}`, '');
  if (def.examples.length > 0) {
    lines.push('**Examples**', '');
    def.examples.forEach((example, i) => {
      lines.push(
        `Example ${i + 1}:`,
        '',
        '```powershell',
        example.command,
        '```',
        '',
        prose(example.description),
        '',
      );
    });
  }
  return lines;
}

/** The whole of docs/cmdlets.md, ending with one newline. */
export function cmdletsMarkdown(defs: readonly CmdletDef[]): string {
  const groups = groupCmdlets(defs);
  const available = defs.filter((d) => d.notYetAvailable === undefined).length;
  const lines: string[] = [
    '# Tandem cmdlets',
    '',
    '<!-- Generated from the cmdlet registry (src/cmdlets/registry.ts) by `npm run docs:cmdlets`. Do not edit by hand. -->',
    '',
    'This file is generated from the cmdlet registry by `npm run docs:cmdlets`; do not edit it by hand.',
    'A test (`src/shell/help/cmdlets-markdown.test.ts`) fails when it no longer matches the registry; the test also',
    'regenerates it: `UPDATE_DOCS=1 npx vitest run src/shell/help src/errors`.',
    '',
    `The management shell knows ${defs.length} cmdlets, written as in Lync Server's management shell;`,
    `${available} are available in this version, and the others parse but are refused with a note saying so.`,
    'Every cmdlet also accepts `-Verbose` and `-Force`; those that change something accept `-WhatIf` and `-Confirm`.',
    'In the shell, `Get-Help <cmdlet>` prints the same help and `Get-Command <pattern>` lists cmdlets.',
    '',
    ...indexTable(groups),
  ];
  for (const [title, members] of groups) {
    lines.push(`## ${title}`, '');
    for (const def of members) lines.push(...cmdletSection(def));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
