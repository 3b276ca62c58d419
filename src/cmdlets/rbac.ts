/**
 * @module Role-based access control in Lync's model: which role may run which cmdlet. View-only
 * administrators run Get-* cmdlets and nothing else.
 */
import { AdminRole, type CmdletCategory, type CmdletDef } from './cmdlet-def.js';

const ROLE_CATEGORIES: Record<AdminRole, readonly CmdletCategory[]> = {
  CsAdministrator: ['read', 'user', 'server', 'admin'],
  CsServerAdministrator: ['read', 'server'],
  CsUserAdministrator: ['read', 'user'],
  CsViewOnlyAdministrator: ['read'],
};

export const ROLE_DESCRIPTIONS: Record<AdminRole, string> = {
  CsAdministrator: 'Every cmdlet: topology, users, servers, failover, administrators.',
  CsServerAdministrator: 'Servers, Backup Service, pool and CMS failover, Edge next hop; read everything.',
  CsUserAdministrator: 'Enable, disable, move and import users; read everything.',
  CsViewOnlyAdministrator: 'Get-* cmdlets only.',
};

export function isAdminRole(value: string): value is AdminRole {
  return Object.prototype.hasOwnProperty.call(ROLE_CATEGORIES, value);
}

export function roleMayRun(role: AdminRole, def: CmdletDef): boolean {
  // View-only means Get-* and nothing else, whatever a definition's category says.
  if (role === AdminRole.CsViewOnlyAdministrator) return def.name.toLowerCase().startsWith('get-');
  return ROLE_CATEGORIES[role].includes(def.category);
}

export function rolesAllowed(def: CmdletDef): AdminRole[] {
  return (Object.keys(ROLE_CATEGORIES) as AdminRole[]).filter((r) => roleMayRun(r, def));
}
