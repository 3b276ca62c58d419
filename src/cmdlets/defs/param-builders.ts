/**
 * @module The parameters most cmdlets share, built in one place: `-Identity` (always the first positional
 * parameter, as in Lync) and `-PoolFqdn` (required unless said otherwise). Each cmdlet still says what its
 * own Identity names, since Get-Help shows that text.
 */
import type { ParamDef, ParamType } from '../cmdlet-def.js';

/** `-Identity`, bound by position 0. */
export function identityParam(
  type: ParamType,
  description: string,
  more: { readonly required?: boolean; readonly values?: readonly string[] } = {},
): ParamDef {
  return {
    name: 'Identity',
    type,
    ...(more.values ? { values: more.values } : {}),
    ...(more.required ? { required: true } : {}),
    position: 0,
    description,
  };
}

/** `-PoolFqdn`, required unless `required: false`. */
export function poolFqdnParam(
  description = 'FQDN of the pool.',
  more: { readonly required?: boolean; readonly position?: number } = {},
): ParamDef {
  return {
    name: 'PoolFqdn',
    type: 'fqdn',
    ...((more.required ?? true) ? { required: true } : {}),
    ...(more.position !== undefined ? { position: more.position } : {}),
    description,
  };
}

/** A user's SIP address as `-Identity`, required (the user cmdlets). */
export const USER_IDENTITY: ParamDef = identityParam('string', 'SIP address of the user.', {
  required: true,
});
