/**
 * @module The cmdlet registry: every cmdlet Tandem knows, available or not yet. The shell parses and binds
 * against it, Get-Help and docs/cmdlets.md are generated from it, and the server authorizes with it.
 */
import type { CmdletDef } from './cmdlet-def.js';
import { topologyCmdlets } from './defs/topology-cmdlets.js';
import { userCmdlets } from './defs/user-cmdlets.js';
import { adminCmdlets } from './defs/admin-cmdlets.js';
import { registrarCmdlets } from './defs/registrar-cmdlets.js';
import { backupServiceCmdlets } from './defs/backup-service-cmdlets.js';
import { failoverCmdlets } from './defs/failover-cmdlets.js';
import { cmsCmdlets } from './defs/cms-cmdlets.js';
import { databaseCmdlets } from './defs/database-cmdlets.js';
import { shellCmdlets } from './defs/shell-cmdlets.js';
import { certificateCmdlets } from './defs/certificate-cmdlets.js';
import { poolDutyCmdlets } from './defs/pool-duty-cmdlets.js';

export const ALL_CMDLETS: readonly CmdletDef[] = [
  ...topologyCmdlets,
  ...userCmdlets,
  ...adminCmdlets,
  ...registrarCmdlets,
  ...poolDutyCmdlets,
  ...backupServiceCmdlets,
  ...failoverCmdlets,
  ...cmsCmdlets,
  ...databaseCmdlets,
  ...certificateCmdlets,
  ...shellCmdlets,
];

export interface CmdletRegistry {
  find(name: string): CmdletDef | undefined;
  names(): string[];
  all(): readonly CmdletDef[];
}

export function createRegistry(defs: readonly CmdletDef[] = ALL_CMDLETS): CmdletRegistry {
  const byName = new Map(defs.map((d) => [d.name.toLowerCase(), d]));
  if (byName.size !== defs.length) throw new Error('duplicate cmdlet name in the registry');
  return {
    find: (name) => byName.get(name.toLowerCase()),
    names: () => defs.map((d) => d.name),
    all: () => defs,
  };
}

export const cmdletRegistry = createRegistry();
