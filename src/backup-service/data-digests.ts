/**
 * @module Comparing a pool's user data with its copy: per owner, a digest of everything stored for the owner
 * at each pool. Test-CsBackupServiceData reports the differences; failover and failback refuse to go on
 * with differences unless forced.
 */

/** Where an owner's data differs: held only by the first pool, only by the second, or different at both. */
export type DigestDifference = 'only-first' | 'only-second' | 'differs';

export interface OwnerDifference {
  readonly owner: string;
  readonly difference: DigestDifference;
}

/** The owners whose digests differ, in the order of `owners`; an owner neither pool holds does not differ. */
export function compareDigests(
  owners: readonly string[],
  first: ReadonlyMap<string, string>,
  second: ReadonlyMap<string, string>,
): OwnerDifference[] {
  const out: OwnerDifference[] = [];
  for (const owner of owners) {
    const a = first.get(owner);
    const b = second.get(owner);
    if (a === b) continue;
    out.push({
      owner,
      difference: b === undefined ? 'only-first' : a === undefined ? 'only-second' : 'differs',
    });
  }
  return out;
}

/** Asks both pools for their digests at once and compares them. */
export async function compareData(
  digests: (pool: string, owners: readonly string[]) => Promise<ReadonlyMap<string, string>>,
  firstPool: string,
  secondPool: string,
  owners: readonly string[],
): Promise<OwnerDifference[]> {
  const [first, second] = await Promise.all([digests(firstPool, owners), digests(secondPool, owners)]);
  return compareDigests(owners, first, second);
}
