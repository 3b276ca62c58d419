/**
 * @module Converts a raw argument to the type its ParamDef declares (FQDN, TimeSpan, enum …), with messages
 * that say what was expected. Used by the binder.
 */
import type { BoundValue, ParamDef } from '../cmdlet-def.js';
import { TandemError } from '../../errors/index.js';
import { DATE_TIME_FORMATS, parseDateTime } from '../../timing/date-time.js';
import { formatTimeSpan, parseTimeSpan } from '../../timing/timespan.js';
import { describeRaw, type RawValue } from './parser.js';

const FQDN_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const FQDN = new RegExp(`^(?=.{1,253}$)${FQDN_LABEL}(?:\\.${FQDN_LABEL})*$`);
const INTEGER = /^[+-]?\d+$/;
const TRUE_WORDS = new Set(['true', '$true', '1']);
const FALSE_WORDS = new Set(['false', '$false', '0']);

/** The type of a parameter as a person reads it in messages and help: `FQDN`, `one of Active, FailedOver`. */
export function typeLabel(param: ParamDef): string {
  switch (param.type) {
    case 'string':
      return 'string';
    case 'fqdn':
      return 'FQDN';
    case 'identity':
      return 'identity';
    case 'path':
      return 'path';
    case 'switch':
      return 'switch';
    case 'bool':
      return '$true or $false';
    case 'int':
      return 'integer';
    case 'timespan':
      return 'TimeSpan, hh:mm:ss or seconds';
    case 'datetime':
      return 'DateTime, 2025-07-22T13:00:00Z or "7/22/2025 1:00:00 PM"';
    case 'enum':
      return param.values?.length ? `one of ${param.values.join(', ')}` : 'enum';
    case 'string[]':
      return 'list of strings, a,b,c';
    default:
      return assertNever(param.type);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected parameter type: ${String(value)}`);
}

export function badValue(cmdlet: string, param: ParamDef, value: string, reason: string): TandemError {
  return new TandemError('SHELL_BAD_VALUE', { value, name: param.name, cmdlet, reason });
}

/** `<Pool1 FQDN>`: a placeholder from the documentation that was pasted without being filled in. */
export function isPlaceholder(text: string): boolean {
  const t = text.trim();
  return t.length > 2 && t.startsWith('<') && t.endsWith('>');
}

const PLACEHOLDER_REASON =
  'it looks like a placeholder copied from the documentation; replace it with a real value.';

/** Converts `raw` to the bound value of `param`; throws SHELL_BAD_VALUE saying what was expected. */
export function convertValue(param: ParamDef, raw: RawValue, cmdlet: string): BoundValue {
  const shown = describeRaw(raw);
  const fail = (reason: string): TandemError => badValue(cmdlet, param, shown, reason);
  if (raw.kind === 'text' && isPlaceholder(raw.text)) throw fail(PLACEHOLDER_REASON);
  if (raw.kind === 'list' && raw.items.some(isPlaceholder)) throw fail(PLACEHOLDER_REASON);

  if (param.type === 'string[]') return toList(raw, fail);
  if (raw.kind === 'list') throw fail(`it takes one value (${typeLabel(param)}), not a list.`);
  if (raw.kind === 'script' && param.type !== 'string') {
    throw fail(`a script block is not a ${typeLabel(param)}.`);
  }
  if (raw.kind === 'null') {
    // `$null` clears a setting, as in Set-CsUser -LineURI $null; only text can be cleared.
    if (param.type === 'string' || param.type === 'identity' || param.type === 'path') return '';
    throw fail(`it needs a ${typeLabel(param)}, not $null.`);
  }
  const text = raw.kind === 'bool' ? (raw.value ? 'True' : 'False') : raw.text;

  switch (param.type) {
    case 'string':
    case 'identity':
    case 'path':
      return text;
    case 'fqdn':
      return toFqdn(text, fail);
    case 'switch':
    case 'bool':
      return toBool(raw, fail);
    case 'int':
      return toInt(param, text, fail);
    case 'timespan':
      return toTimeSpan(param, text, fail);
    case 'datetime':
      return toDateTime(text, fail);
    case 'enum':
      return toEnum(param, text, fail);
    default:
      return assertNever(param.type);
  }
}

type Fail = (reason: string) => TandemError;

function toList(raw: RawValue, fail: Fail): readonly string[] {
  switch (raw.kind) {
    case 'list':
      return raw.items;
    case 'text':
      // Only words split by the operating system's shell reach here unquoted with commas in them.
      return raw.quoted
        ? [raw.text]
        : raw.text
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
    case 'null':
      return [];
    case 'bool':
    case 'script':
      throw fail('it needs a list of strings, like a,b,c.');
    default:
      return assertNever(raw);
  }
}

function toFqdn(text: string, fail: Fail): string {
  const fqdn = text.trim().toLowerCase().replace(/\.$/, '');
  if (FQDN.test(fqdn)) return fqdn;
  if (fqdn === '') throw fail('an FQDN cannot be empty.');
  if (fqdn.includes(':')) {
    throw fail('it looks like an identity (kind:fqdn); give the FQDN alone, like atl-cs-001.litwareinc.com.');
  }
  throw fail('an FQDN has only letters, digits, hyphens and dots, like atl-cs-001.litwareinc.com.');
}

function toBool(raw: RawValue, fail: Fail): boolean {
  if (raw.kind === 'bool') return raw.value;
  const word = raw.kind === 'text' ? raw.text.trim().toLowerCase() : '';
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw fail('it needs $true or $false.');
}

function rangeText(min: number | undefined, max: number | undefined, show: (n: number) => string): string {
  if (min !== undefined && max !== undefined) return `between ${show(min)} and ${show(max)}`;
  if (min !== undefined) return `at least ${show(min)}`;
  return `at most ${show(max ?? 0)}`;
}

function outOfRange(param: ParamDef, value: number): boolean {
  return (param.min !== undefined && value < param.min) || (param.max !== undefined && value > param.max);
}

function toInt(param: ParamDef, text: string, fail: Fail): number {
  const value = INTEGER.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value)) throw fail('it needs a whole number.');
  if (outOfRange(param, value)) throw fail(`it must be ${rangeText(param.min, param.max, String)}.`);
  return value;
}

function toTimeSpan(param: ParamDef, text: string, fail: Fail): number {
  const ms = parseTimeSpan(text);
  if (ms === undefined) throw fail('it needs a TimeSpan like 00:02:00 (hh:mm:ss) or a number of seconds.');
  if (outOfRange(param, ms)) throw fail(`it must be ${rangeText(param.min, param.max, formatTimeSpan)}.`);
  return ms;
}

function toDateTime(text: string, fail: Fail): string {
  const date = parseDateTime(text);
  if (date === undefined) throw fail(`it needs ${DATE_TIME_FORMATS}.`);
  return date.toISOString();
}

function toEnum(param: ParamDef, text: string, fail: Fail): string {
  const values = param.values ?? [];
  if (values.length === 0) return text;
  const wanted = text.trim().toLowerCase();
  const match = values.find((v) => v.toLowerCase() === wanted);
  if (match === undefined) throw fail(`the allowed values are ${values.join(', ')}.`);
  return match;
}
