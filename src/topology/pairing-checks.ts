/**
 * @module The rules of pool pairing (Lync's backup pools): the backup is a known pool other than itself, the
 * pairing is one to one and symmetric, and both pools have the same edition.
 */
import type { TopologyIssue } from './topology-issue.js';
import type { TopologyDocument } from './topology-schema.js';

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

export function checkBackupPairing(doc: TopologyDocument, issues: TopologyIssue[]): void {
  const indexOf = new Map<string, number>();
  doc.pools.forEach((pool, i) => {
    if (!indexOf.has(pool.fqdn)) indexOf.set(pool.fqdn, i);
  });
  /** For each pool named as a backup, the pools that name it, in document order. */
  const namedBy = new Map<string, number[]>();

  doc.pools.forEach((pool, i) => {
    const backup = pool.backupPool;
    if (backup === undefined) return;
    const path = `pools[${i}].backupPool`;
    if (backup === pool.fqdn) {
      issues.push({
        path,
        message: `pool ${pool.fqdn} names itself as its backup; name another pool, preferably in another site, or remove backupPool`,
      });
      return;
    }
    if (!indexOf.has(backup)) {
      const others = doc.pools.map((p) => p.fqdn).filter((f) => f !== pool.fqdn);
      issues.push({
        path,
        message: `there is no pool ${backup} to back up ${pool.fqdn}; name one of: ${others.join(', ') || '(no other pool)'}, or add that pool under pools`,
      });
      return;
    }
    namedBy.set(backup, [...(namedBy.get(backup) ?? []), i]);
  });

  doc.pools.forEach((pool, i) => {
    const backup = pool.backupPool;
    const j = backup === undefined ? undefined : indexOf.get(backup);
    const target = j === undefined ? undefined : doc.pools[j];
    if (backup === undefined || j === undefined || target === undefined || backup === pool.fqdn) return;
    const path = `pools[${i}].backupPool`;
    const first = namedBy.get(backup)?.[0];
    if (first !== undefined && first !== i) {
      issues.push({
        path,
        message: `${backup} is already the backup pool of ${doc.pools[first]?.fqdn} (pools[${first}]); a pool backs up exactly one other pool, so pick another backup for ${pool.fqdn}`,
      });
      return;
    }
    const symmetric = target.backupPool === pool.fqdn;
    if (!symmetric) {
      const theirs = target.backupPool === undefined ? 'names no backup pool' : `names ${target.backupPool}`;
      issues.push({
        path,
        message: `${pool.fqdn} names ${backup} as its backup, but ${backup} ${theirs}; pairing is one to one and symmetric, so set pools[${j}].backupPool to ${pool.fqdn}, or change this one`,
      });
    }
    // A symmetric pair with mixed editions is reported once, on the pool listed first.
    if (target.edition !== pool.edition && !(symmetric && j < i)) {
      issues.push({
        path,
        message: `${pool.fqdn} is ${article(pool.edition)} ${pool.edition} Edition pool but its backup ${backup} is ${target.edition} Edition; pair pools of the same edition, as Lync requires`,
      });
    }
  });
}
