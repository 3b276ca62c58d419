/**
 * @module Binds a parsed command to its cmdlet definition the way PowerShell does: case-insensitive names,
 * aliases and unambiguous prefixes, switches, positional values, type conversion, required parameters.
 */
import {
  COMMON_PARAMS,
  type BoundParams,
  type BoundValue,
  type CmdletDef,
  type ParamDef,
} from '../cmdlet-def.js';
import { TandemError } from '../../errors/index.js';
import { badValue, convertValue, typeLabel } from './convert-value.js';
import { describeRaw, type ParsedCommand, type RawValue } from './parser.js';
import { didYouMean } from './suggest.js';

/** What the binder needs of the cmdlet registry. */
export interface CmdletLookup {
  find(name: string): CmdletDef | undefined;
  names(): readonly string[];
}

/** The common switches, whether the cmdlet defines them itself or takes PowerShell's. */
export interface CommonSwitches {
  readonly verbose: boolean;
  readonly whatIf: boolean;
  readonly confirm: boolean;
  readonly force: boolean;
}

export interface BoundCommand {
  readonly def: CmdletDef;
  /** The cmdlet's own parameters, by canonical name; common switches appear here only if the cmdlet defines them. */
  readonly params: BoundParams;
  readonly common: CommonSwitches;
}

/** Switches that only make sense on a cmdlet that changes something (`supportsShouldProcess`). */
const SHOULD_PROCESS = new Set(['whatif', 'confirm']);

/** Finds a cmdlet by name, case-insensitively; throws SHELL_UNKNOWN_CMDLET with the closest name. */
export function resolveCmdlet(name: string, registry: CmdletLookup): CmdletDef {
  const direct = registry.find(name);
  if (direct) return direct;
  const lower = name.toLowerCase();
  const canonical = registry.names().find((n) => n.toLowerCase() === lower);
  const def = canonical === undefined ? undefined : registry.find(canonical);
  if (def) return def;
  throw new TandemError('SHELL_UNKNOWN_CMDLET', { name, suggestion: didYouMean(name, registry.names()) });
}

/**
 * The parameters a cmdlet accepts: its own, then the common ones it does not redefine. -WhatIf and -Confirm
 * are left out unless it supports them: a read cmdlet given -WhatIf must not look like a dry run of anything.
 */
export function acceptedParams(def: CmdletDef): readonly ParamDef[] {
  const own = new Set(def.params.map((p) => p.name.toLowerCase()));
  const common = COMMON_PARAMS.filter(
    (p) =>
      !own.has(p.name.toLowerCase()) &&
      (def.supportsShouldProcess === true || !SHOULD_PROCESS.has(p.name.toLowerCase())),
  );
  return [...def.params, ...common];
}

function spellings(param: ParamDef): string[] {
  return [param.name, ...(param.aliases ?? [])];
}

/** Resolves `-written` to a parameter: exact name or alias first, then an unambiguous prefix. */
export function resolveParameter(def: CmdletDef, written: string): ParamDef {
  const params = acceptedParams(def);
  const lower = written.toLowerCase();
  const exact = params.find((p) => spellings(p).some((s) => s.toLowerCase() === lower));
  if (exact) return exact;
  const matches = params.filter((p) => spellings(p).some((s) => s.toLowerCase().startsWith(lower)));
  if (matches.length === 1) return matches[0] as ParamDef;
  if (matches.length > 1) {
    const names = matches.map((p) => `-${p.name}`);
    const candidates = `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
    throw new TandemError('SHELL_AMBIGUOUS_PARAMETER', { name: written, cmdlet: def.name, candidates });
  }
  const suggestion = SHOULD_PROCESS.has(lower)
    ? ` -WhatIf and -Confirm are accepted only by cmdlets that change something.`
    : didYouMean(written, params.flatMap(spellings), '-');
  throw new TandemError('SHELL_UNKNOWN_PARAMETER', { name: written, cmdlet: def.name, suggestion });
}

/** Binds `cmd` to its cmdlet. Throws the SHELL_* error PowerShell's binder would have reported. */
export function bindCommand(cmd: ParsedCommand, registry: CmdletLookup): BoundCommand {
  const def = resolveCmdlet(cmd.name, registry);
  const bound = new Map<string, { param: ParamDef; value: BoundValue }>();
  const positional: { text: string; value: RawValue }[] = [];
  const bind = (param: ParamDef, value: BoundValue): void => {
    if (bound.has(param.name)) {
      throw new TandemError('SHELL_DUPLICATE_PARAMETER', { name: param.name, cmdlet: def.name });
    }
    bound.set(param.name, { param, value });
  };

  for (let i = 0; i < cmd.args.length; i++) {
    const arg = cmd.args[i];
    if (arg === undefined) continue;
    if (arg.kind === 'value') {
      positional.push({ text: describeRaw(arg.value), value: arg.value });
      continue;
    }
    const param = resolveParameter(def, arg.name);
    if (param.type === 'switch') {
      // A switch never takes the next word: `-Force $false` leaves `$false` positional, as in PowerShell.
      bind(param, arg.value === undefined ? true : convertValue(param, arg.value, def.name));
      continue;
    }
    let raw = arg.value;
    if (raw === undefined) {
      const next = cmd.args[i + 1];
      if (next?.kind !== 'value') {
        throw badValue(def.name, param, '', `no value follows it; give a ${typeLabel(param)}.`);
      }
      raw = next.value;
      i += 1;
    }
    bind(param, convertValue(param, raw, def.name));
  }

  const slots = def.params
    .filter((p) => p.position !== undefined && p.type !== 'switch')
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  for (const { text, value } of positional) {
    const slot = slots.find((p) => !bound.has(p.name));
    if (slot === undefined)
      throw new TandemError('SHELL_TOO_MANY_ARGUMENTS', { cmdlet: def.name, value: text });
    bind(slot, convertValue(slot, value, def.name));
  }

  for (const param of def.params) {
    if (param.required && !bound.has(param.name)) {
      throw new TandemError('SHELL_MISSING_PARAMETER', {
        cmdlet: def.name,
        name: param.name,
        type: typeLabel(param),
      });
    }
  }

  const own = new Set(def.params);
  const params: Record<string, BoundValue> = {};
  for (const { param, value } of bound.values()) if (own.has(param)) params[param.name] = value;
  const flag = (name: string): boolean => {
    for (const { param, value } of bound.values())
      if (param.name.toLowerCase() === name) return value === true;
    return false;
  };
  return {
    def,
    params,
    common: {
      verbose: flag('verbose'),
      whatIf: flag('whatif'),
      confirm: flag('confirm'),
      force: flag('force'),
    },
  };
}
