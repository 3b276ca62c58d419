/**
 * @module The shape of a cmdlet definition. One registry of these drives the shell's parser and binder,
 * Get-Help, the generated docs/cmdlets.md, RBAC on the server, and dispatch to the handlers.
 */

export const ParamType = {
  String: 'string',
  Fqdn: 'fqdn',
  Identity: 'identity',
  Path: 'path',
  Switch: 'switch',
  Bool: 'bool',
  Int: 'int',
  TimeSpan: 'timespan',
  DateTime: 'datetime',
  Enum: 'enum',
  StringList: 'string[]',
} as const;
export type ParamType = (typeof ParamType)[keyof typeof ParamType];

export interface ParamDef {
  readonly name: string;
  readonly type: ParamType;
  readonly description: string;
  readonly required?: boolean;
  /** 0-based position for positional binding, as PowerShell's `[[-ReplicaFqdn] X]`. */
  readonly position?: number;
  /** Allowed values for `enum` (matched case-insensitively; bound to the spelling given here). */
  readonly values?: readonly string[];
  /** For `int` and `timespan` (milliseconds): inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** Other names PowerShell accepts for this parameter. */
  readonly aliases?: readonly string[];
  /**
   * A local file path: 'read' — the shell reads the file and attaches its content to the request;
   * 'write' — the shell writes the file the server returns.
   */
  readonly file?: 'read' | 'write';
  /**
   * With file 'read', how the shell attaches the content: as text (the default), or as base64 for a file that
   * may be binary (a PKCS#12/PFX certificate).
   */
  readonly attach?: 'text' | 'base64';
}

/** Lync's RBAC roles (Get-CsAdminRole). */
export const AdminRole = {
  CsAdministrator: 'CsAdministrator',
  CsServerAdministrator: 'CsServerAdministrator',
  CsUserAdministrator: 'CsUserAdministrator',
  CsViewOnlyAdministrator: 'CsViewOnlyAdministrator',
} as const;
export type AdminRole = (typeof AdminRole)[keyof typeof AdminRole];

/**
 * What a cmdlet does, which decides the roles that may run it:
 * read → every role; user → CsUserAdministrator; server → CsServerAdministrator; admin → CsAdministrator only.
 */
export type CmdletCategory = 'read' | 'user' | 'server' | 'admin';

export interface CmdletExample {
  readonly command: string;
  readonly description: string;
}

export interface CmdletDef {
  readonly name: string;
  readonly synopsis: string;
  readonly description?: string;
  readonly category: CmdletCategory;
  readonly params: readonly ParamDef[];
  readonly examples: readonly CmdletExample[];
  /** Where it runs: on a server through the admin API, or in the shell itself (Get-Help, Where-Object). */
  readonly runsOn: 'server' | 'shell';
  /** Set when the cmdlet is known (it parses) but its feature does not exist yet. */
  readonly notYetAvailable?: string;
  /** Whether the cmdlet supports -WhatIf / -Confirm (it changes something). */
  readonly supportsShouldProcess?: boolean;
}

/** The common parameters every cmdlet accepts, as in PowerShell. */
export const COMMON_PARAMS: readonly ParamDef[] = [
  { name: 'Verbose', type: 'switch', description: 'Narrates each step with its timing.' },
  { name: 'WhatIf', type: 'switch', description: 'Shows what the command would do, and changes nothing.' },
  { name: 'Confirm', type: 'switch', description: 'Asks for confirmation before the command runs.' },
  { name: 'Force', type: 'switch', description: 'Suppresses non-fatal prompts and warnings.' },
];

export type BoundValue = string | number | boolean | readonly string[];
/**
 * Parameters after binding: keyed by the parameter's canonical name. TimeSpans are milliseconds; DateTimes are
 * ISO 8601 text in UTC (read in the shell's time zone, as PowerShell reads them).
 */
export type BoundParams = Readonly<Record<string, BoundValue>>;
