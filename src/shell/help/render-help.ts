/**
 * @module Get-Help and Get-Command as the shell prints them, rendered from a cmdlet definition. The pieces
 * (syntax line, type labels, ranges, roles) are shared with the generated docs/cmdlets.md.
 */
import type { CmdletDef, ParamDef } from '../../cmdlets/cmdlet-def.js';
import { rolesAllowed } from '../../cmdlets/rbac.js';
import { formatTimeSpan } from '../../timing/timespan.js';
import { formatRecords } from '../format/format-output.js';

export interface HelpOptions {
  /** Only NAME, SYNOPSIS and EXAMPLES, as `Get-Help <cmdlet> -Examples`. */
  readonly examplesOnly?: boolean;
}

/** Prose is wrapped to this many columns, indentation included; syntax lines are never cut. */
const HELP_WIDTH = 100;
const INDENT = '    ';
/** Console width the Get-Command table is fitted to by default. */
const TABLE_WIDTH = 120;

/** The type as PowerShell's help names it; undefined for a switch, which takes no value. */
export function typeLabel(param: ParamDef): string | undefined {
  switch (param.type) {
    case 'string':
      return 'String';
    case 'fqdn':
      return 'Fqdn';
    case 'identity':
      return 'Identity';
    case 'path':
      return 'Path';
    case 'switch':
      return undefined;
    case 'bool':
      return 'Boolean';
    case 'int':
      return 'Int32';
    case 'timespan':
      return 'TimeSpan';
    case 'datetime':
      return 'DateTime';
    case 'enum':
      return (param.values ?? []).join('|');
    case 'string[]':
      return 'String[]';
    default:
      return assertNever(param.type);
  }
}

/** `-Name <Type>`, or `-Name` for a switch. */
export function paramSignature(param: ParamDef): string {
  const label = typeLabel(param);
  return label === undefined ? `-${param.name}` : `-${param.name} <${label}>`;
}

function bound(param: ParamDef, value: number): string {
  return param.type === 'timespan' ? formatTimeSpan(value) : String(value);
}

/** The inclusive range of an int or timespan parameter (`00:00:05 to 03:00:00`), or undefined. */
export function rangeText(param: ParamDef): string | undefined {
  if (param.type !== 'int' && param.type !== 'timespan') return undefined;
  const { min, max } = param;
  if (min !== undefined && max !== undefined) return `${bound(param, min)} to ${bound(param, max)}`;
  if (min !== undefined) return `at least ${bound(param, min)}`;
  if (max !== undefined) return `at most ${bound(param, max)}`;
  return undefined;
}

/** `n` for a positional parameter (0-based, as the binder counts), otherwise `named`. */
export function positionText(param: ParamDef): string {
  return param.position === undefined ? 'named' : String(param.position);
}

/** Positional parameters first, by position; then the others in the order the definition gives them. */
export function orderedParams(def: CmdletDef): ParamDef[] {
  const positional = def.params
    .filter((p) => p.position !== undefined)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  return [...positional, ...def.params.filter((p) => p.position === undefined)];
}

function syntaxPart(param: ParamDef): string {
  const label = typeLabel(param);
  const value = label === undefined ? '' : ` <${label}>`;
  const name = param.position === undefined ? `-${param.name}` : `[-${param.name}]`;
  const part = `${name}${value}`;
  return param.required ? part : `[${part}]`;
}

/** The names of the common parameters this cmdlet accepts, in the order Get-Help lists them. */
export function commonParamNames(def: CmdletDef): string[] {
  return [...(def.supportsShouldProcess ? ['WhatIf', 'Confirm'] : []), 'Verbose', 'Force'];
}

/** `Invoke-CsPoolFailOver -PoolFqdn <Fqdn> [-DisasterMode] ... [-WhatIf] [-Confirm] [-Verbose] [-Force]`. */
export function syntaxLine(def: CmdletDef): string {
  const parts = orderedParams(def).map(syntaxPart);
  const common = commonParamNames(def).map((name) => `[-${name}]`);
  return [def.name, ...parts, ...common].join(' ');
}

/** Who may run the cmdlet, as one sentence. */
export function rolesText(def: CmdletDef): string {
  if (def.runsOn === 'shell') return 'Runs in the shell itself; it needs no administrator role.';
  const roles = rolesAllowed(def);
  return roles.length === 0 ? 'No administrator role may run it.' : roles.join(', ');
}

/** The note printed for a cmdlet that parses but whose feature does not exist yet; undefined otherwise. */
export function availabilityText(def: CmdletDef): string | undefined {
  if (def.notYetAvailable === undefined) return undefined;
  return `${def.notYetAvailable} is not yet available in this version of Tandem; the cmdlet parses but is refused.`;
}

/** Synopsis, then the longer description when there is one. */
export function descriptionText(def: CmdletDef): string {
  return def.description ? `${def.synopsis} ${def.description}` : def.synopsis;
}

/** Wraps `text` at spaces into lines of at most `width` characters after `indent`. */
function wrapIndented(text: string, indent: string, width = HELP_WIDTH): string[] {
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
      if (line.length > 0 && line.length + 1 + word.length > room) {
        lines.push(line);
        line = word;
      } else {
        line = line.length > 0 ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
  }
  return lines.map((l) => (l.length > 0 ? `${indent}${l}` : ''));
}

function section(title: string, body: readonly string[]): string {
  return [title, ...body].join('\n');
}

function paramBlock(param: ParamDef): string {
  const facts: [string, string][] = [
    ['Required?', param.required ? 'true' : 'false'],
    ['Position?', positionText(param)],
  ];
  if (param.type === 'enum') facts.push(['Accepted values?', (param.values ?? []).join(', ')]);
  const range = rangeText(param);
  if (range !== undefined) facts.push(['Range?', range]);
  if (param.aliases && param.aliases.length > 0) facts.push(['Aliases?', param.aliases.join(', ')]);
  const inner = INDENT + INDENT;
  return [
    `${INDENT}${paramSignature(param)}`,
    ...wrapIndented(param.description, inner),
    '',
    ...facts.map(([name, value]) => `${inner}${name.padEnd(28)} ${value}`),
  ].join('\n');
}

function commonParamsNote(def: CmdletDef): string {
  const lines: string[] = [];
  if (def.supportsShouldProcess) {
    lines.push(
      `${INDENT}-WhatIf`,
      `${INDENT}${INDENT}Shows what the command would do, and changes nothing.`,
      '',
      `${INDENT}-Confirm`,
      `${INDENT}${INDENT}Asks for confirmation before the command runs.`,
      '',
    );
  }
  lines.push(
    `${INDENT}<CommonParameters>`,
    `${INDENT}${INDENT}This cmdlet also accepts -Verbose (narrates each step with its timing) and -Force`,
    `${INDENT}${INDENT}(suppresses non-fatal prompts and warnings).`,
  );
  return lines.join('\n');
}

function examplesSection(def: CmdletDef): string {
  if (def.examples.length === 0) return section('EXAMPLES', [`${INDENT}This cmdlet has no examples.`]);
  const blocks = def.examples.map((example, i) =>
    [
      `${INDENT}-------------------------- Example ${i + 1} --------------------------`,
      '',
      `${INDENT}PS> ${example.command}`,
      '',
      ...wrapIndented(example.description, INDENT),
    ].join('\n'),
  );
  return section('EXAMPLES', [blocks.join('\n\n')]);
}

/** Get-Help text for a terminal; no final newline. */
export function renderHelp(def: CmdletDef, options: HelpOptions = {}): string {
  const head = [
    section('NAME', [`${INDENT}${def.name}`]),
    section('SYNOPSIS', wrapIndented(def.synopsis, INDENT)),
  ];
  if (options.examplesOnly) return [...head, examplesSection(def)].join('\n\n');
  const params = orderedParams(def).map(paramBlock);
  const availability = availabilityText(def);
  const sections = [
    ...head,
    section('SYNTAX', [`${INDENT}${syntaxLine(def)}`]),
    section('DESCRIPTION', wrapIndented(descriptionText(def), INDENT)),
    section('PARAMETERS', [[...params, commonParamsNote(def)].join('\n\n')]),
    section('ROLES', wrapIndented(rolesText(def), INDENT)),
    ...(availability === undefined ? [] : [section('AVAILABILITY', wrapIndented(availability, INDENT))]),
    examplesSection(def),
  ];
  return sections.join('\n\n');
}

/** A PowerShell wildcard (`*` any run, `?` one character) as a case-insensitive, anchored RegExp. */
export function wildcardToRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Get-Command: a table of Name, Available (Yes / Not yet) and Synopsis, fitted to `width` columns as
 * PowerShell fits a table to the console; no final newline.
 */
export function renderCommandList(defs: readonly CmdletDef[], pattern?: string, width = TABLE_WIDTH): string {
  const match = pattern === undefined || pattern === '' ? undefined : wildcardToRegExp(pattern);
  const chosen = match === undefined ? defs : defs.filter((d) => match.test(d.name));
  if (chosen.length === 0) return `No cmdlet matches '${pattern ?? ''}'.`;
  const records = chosen.map((d) => ({
    Name: d.name,
    Available: d.notYetAvailable === undefined ? 'Yes' : 'Not yet',
    Synopsis: d.synopsis,
  }));
  return formatRecords(records, { view: 'table', width });
}

function assertNever(value: never): never {
  throw new Error(`Unexpected parameter type: ${String(value)}`);
}
