/** @module Every server-side cmdlet handler, in one table keyed by cmdlet name. */
import type { HandlerTable } from '../cmdlet-handler.js';
import type { UserDirectory } from '../../directory/user-directory.js';
import { topologyHandlers } from './topology-handlers.js';
import { userHandlers } from './user-handlers.js';
import { adminHandlers } from './admin-handlers.js';
import { registrarHandlers } from './registrar-handlers.js';
import { cmsFailoverHandlers, cmsHandlers } from './cms-handlers.js';
import type { CmsFailoverPorts } from '../../cms/cms-failover.js';
import type { CmsDoc } from '../../storage/index.js';
import { compileUserFilter } from '../user-filter.js';
import { backupHandlers } from './backup-handlers.js';
import { failoverHandlers } from './failover-handlers.js';
import type { DivergentClient, FailoverPorts } from '../../failover/failover-ports.js';
import type { BackupClient } from '../../s2s/backup-links.js';
import type { ServerCertificates } from '../../certificates/server-certificates.js';
import { certificateHandlers } from './certificate-handlers.js';
import { poolDutyHandlers, type PoolDutyPorts } from './pool-duty-handlers.js';

export interface HandlerDeps {
  readonly dataDir: string;
  readonly certificates: ServerCertificates;
  readonly directory: UserDirectory;
  readonly backup: BackupClient;
  readonly failover: FailoverPorts;
  readonly divergent: DivergentClient;
  readonly cmsFailover: CmsFailoverPorts;
  readonly cmsDivergentAt: (pool: string) => Promise<CmsDoc[]>;
  /** A pool's front ends and their duties (Get-CsPoolFabricState, Reset-CsPoolRegistrarState). */
  readonly poolDuties: PoolDutyPorts;
}

export function buildHandlers(deps: HandlerDeps): HandlerTable {
  return {
    ...topologyHandlers(deps.dataDir),
    ...userHandlers(deps.directory, compileUserFilter),
    ...adminHandlers(),
    ...registrarHandlers(),
    ...poolDutyHandlers(deps.poolDuties),
    ...cmsHandlers(),
    ...cmsFailoverHandlers(deps.cmsFailover, deps.cmsDivergentAt),
    ...backupHandlers({ backup: deps.backup, flush: (pool) => deps.backup.flush(pool) }),
    ...failoverHandlers(deps.failover, deps.divergent),
    ...certificateHandlers(deps.certificates),
  };
}
