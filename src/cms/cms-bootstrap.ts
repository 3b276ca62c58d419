/**
 * @module First start of a deployment: the CMS pool's store becomes the active master (epoch 1) holding the
 * topology, the first administrator and, for a demo topology, the demo users.
 */
import type { Store } from '../storage/index.js';
import { CmsRole } from '../storage/index.js';
import type { Topology } from '../topology/topology-types.js';
import { hashPassword } from '../security/password-hash.js';
import { DocKey, type AdminDoc, type TopologyDoc, type UserDoc } from './cms-documents.js';

export interface SeedInput {
  readonly topologyYaml: string;
  readonly topology: Topology;
  readonly admin: { readonly name: string; readonly secretHash: string };
}

export interface DemoUser {
  readonly sip: string;
  readonly displayName: string;
  readonly pool: string;
}

const NAMED = [
  ['alice', 'Alice Smith'],
  ['bob', 'Bob Jones'],
  ['carol', 'Carol Diaz'],
  ['dave', 'Dave Kim'],
] as const;

/** The demo users: alice, bob, carol and dave first, then user005.., alternating between the pools. */
export function demoUsers(topology: Topology, count: number): DemoUser[] {
  const pools = topology.pools.map((p) => p.fqdn);
  const users: DemoUser[] = [];
  for (let i = 0; i < count && pools.length > 0; i++) {
    const named = NAMED[i];
    const n = String(i + 1).padStart(3, '0');
    users.push({
      sip: `sip:${named ? named[0] : `user${n}`}@${topology.sipDomain}`,
      displayName: named ? named[1] : `Demo User ${n}`,
      pool: pools[i % pools.length] ?? '',
    });
  }
  return users;
}

/** Seeds an empty CMS; returns false when the store already holds one (a restart). */
export async function seedCmsIfEmpty(store: Store, input: SeedInput): Promise<boolean> {
  if (await store.cms.meta()) return false;
  const { topology } = input;
  const meta = await store.cms.initialize({
    version: 0,
    epoch: 1,
    role: CmsRole.Master,
    masterPool: topology.cmsPool,
    epochBase: 0,
  });
  const now = Date.now();
  const topologyDoc: TopologyDoc = {
    revision: 1,
    yaml: input.topologyYaml,
    publishedAt: now,
    publishedBy: 'bootstrap',
  };
  const adminDoc: AdminDoc = {
    name: input.admin.name,
    role: 'CsAdministrator',
    secretHash: input.admin.secretHash,
    createdAt: now,
  };
  await store.cms.commit(meta.epoch, [
    { key: DocKey.topology, value: JSON.stringify(topologyDoc) },
    { key: DocKey.admin(adminDoc.name), value: JSON.stringify(adminDoc) },
  ]);
  if (topology.demo && topology.demo.users > 0) {
    const { password, users } = topology.demo;
    const all = demoUsers(topology, users);
    for (let i = 0; i < all.length; i += 500) {
      const chunk = all.slice(i, i + 500);
      const docs = await Promise.all(
        chunk.map(async (u): Promise<UserDoc> => ({
          sip: u.sip,
          displayName: u.displayName,
          homePool: u.pool,
          passwordHash: await hashPassword(password, topology.security.passwordHashCost),
          enabled: true,
          tokenGeneration: 0,
          createdAt: now,
        })),
      );
      await store.cms.commit(
        meta.epoch,
        docs.map((d) => ({ key: DocKey.user(d.sip), value: JSON.stringify(d) })),
      );
    }
  }
  return true;
}
