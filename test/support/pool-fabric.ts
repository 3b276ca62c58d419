/** @module Get-CsPoolFabricState for the Enterprise tests: a pool's front ends and duty holders, typed. */
import type { Cluster } from '../../src/devkit/cluster.js';

/** A front-end row (FrontEnd set) or a duty row (Duty set) of Get-CsPoolFabricState. */
export interface FabricRecord {
  readonly FrontEnd?: string;
  readonly State?: string;
  readonly UsersServed?: number;
  readonly Duties?: string;
  readonly Duty?: string;
  readonly Holder?: string;
  readonly Epoch?: number;
}

/** Runs Get-CsPoolFabricState for `pool` through `server`; throws with the shell's error if it fails. */
export async function poolFabric(c: Cluster, pool: string, server: string): Promise<FabricRecord[]> {
  const r = await c.shell(`Get-CsPoolFabricState -PoolFqdn ${pool}`, { server });
  if (r.code !== 0) throw new Error(`Get-CsPoolFabricState failed: ${r.err}`);
  return r.json<FabricRecord[]>();
}

/** The duty row of `duty`, if any. */
export function dutyRow(records: readonly FabricRecord[], duty: string): FabricRecord | undefined {
  return records.find((r) => r.Duty === duty);
}

/** The front-end row of `server`, if any. */
export function frontEndRow(records: readonly FabricRecord[], server: string): FabricRecord | undefined {
  return records.find((r) => r.FrontEnd === server);
}
