/**
 * @module Get-CsUser -Filter: Lync writes filters without `$_.` ({RegistrarPool -eq 'x'}); they are
 * evaluated with the same expression engine as the shell's Where-Object.
 */
import { compileFilter } from '../cmdlets/grammar/where-object.js';

export type UserFilter = (record: Readonly<Record<string, unknown>>) => boolean;

export function compileUserFilter(text: string): UserFilter {
  return compileFilter(text, { bareProperties: true });
}
