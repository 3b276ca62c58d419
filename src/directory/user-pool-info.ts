/**
 * @module Get-CsUserPoolInfo: where a user is homed, where the user is served now, and the registrars and
 * machines in preferred order for the home pool and its backup.
 */
import type { UserDoc, PoolStateDoc } from '../cms/cms-documents.js';
import type { Topology } from '../topology/topology-types.js';
import { findPool, serversInPreferredOrder } from '../topology/topology-lookups.js';

export function userPoolInfo(
  topology: Topology,
  user: UserDoc,
  state: PoolStateDoc,
): Record<string, unknown> {
  const primary = findPool(topology, user.homePool);
  const backup = primary?.backupPool ? findPool(topology, primary.backupPool) : undefined;
  const primaryMachines = primary ? serversInPreferredOrder(primary, user.sip).map((s) => s.fqdn) : [];
  const backupMachines = backup ? serversInPreferredOrder(backup, user.sip).map((s) => s.fqdn) : [];
  return {
    Identity: user.sip,
    PrimaryPoolFqdn: user.homePool,
    BackupPoolFqdn: backup?.fqdn ?? '',
    UserServicesPoolFqdn: state.servedBy,
    PrimaryPoolPrimaryRegistrar: primaryMachines[0] ?? '',
    PrimaryPoolBackupRegistrar: backupMachines[0] ?? '',
    BackupPoolPrimaryRegistrar: backupMachines[0] ?? '',
    BackupPoolBackupRegistrar: primaryMachines[0] ?? '',
    PrimaryPoolMachinesInPreferredOrder: primaryMachines,
    BackupPoolMachinesInPreferredOrder: backupMachines,
    ServedByPool: state.servedBy,
    PoolState: state.state,
  };
}
