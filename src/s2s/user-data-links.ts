/**
 * @module Moving a user's persistent data between pools over server-to-server links (Move-CsUser): export
 * from the old home pool, import as new writes on the new one (so its Backup Service ships them), purge.
 */
import { z } from 'zod';
import type { Store, UserItem } from '../storage/index.js';
import type { UserDataMover } from '../directory/user-directory.js';
import { firstAnswering } from '../topology/pool-reach.js';
import { TandemError } from '../errors/index.js';
import type { PeerClient } from './peer-client.js';
import { pathsOf, s2sContract } from './s2s-contract.js';
import { route, routeTable, type S2sRoutes } from './s2s-route-table.js';

const ItemSchema = z.object({ kind: z.string(), key: z.string(), value: z.string() });
const OwnerSchema = z.object({ owner: z.string().min(1) });

export const UserDataContracts = {
  export: s2sContract({
    path: '/s2s/v1/userdata/export',
    request: OwnerSchema,
    response: z.object({ items: z.array(ItemSchema) }),
  }),
  import: s2sContract({
    path: '/s2s/v1/userdata/import',
    request: OwnerSchema.extend({ items: z.array(ItemSchema) }),
    response: z.object({ imported: z.number() }),
    bulk: true,
  }),
  purge: s2sContract({
    path: '/s2s/v1/userdata/purge',
    request: OwnerSchema,
    response: z.object({ purged: z.number() }),
  }),
};
export const UserDataPaths = pathsOf(UserDataContracts);

/** Tries each server of a pool in order, moving on only when one is unreachable. */
function atPool<T>(
  servers: readonly string[],
  pool: string,
  call: (server: string) => Promise<T>,
): Promise<T> {
  return firstAnswering(servers, call, {
    noneAnswered: (last) =>
      new TandemError(
        'STORAGE_UNAVAILABLE',
        { pool, detail: 'no front-end server of the pool answered' },
        { cause: last },
      ),
  });
}

export function userDataMover(
  peer: PeerClient,
  serversOf: (pool: string) => readonly string[],
): UserDataMover {
  return {
    async copy(owner, fromPool, toPool) {
      const { items } = await atPool(serversOf(fromPool), fromPool, (s) =>
        peer.call(s, UserDataContracts.export, { owner }),
      );
      await atPool(serversOf(toPool), toPool, (s) =>
        peer.call(s, UserDataContracts.import, { owner, items }),
      );
      return items.length;
    },
    async purge(owner, pool) {
      await atPool(serversOf(pool), pool, (s) => peer.call(s, UserDataContracts.purge, { owner }));
    },
  };
}

export function userDataRoutes(store: Store, epochOf: () => number): S2sRoutes {
  return routeTable(
    route(UserDataContracts.export, async ({ owner }) => {
      const items = await store.userData.list(owner);
      return { items: items.map((i: UserItem) => ({ kind: i.kind, key: i.key, value: i.value })) };
    }),
    route(UserDataContracts.import, async ({ owner, items }) => {
      await store.userData.write(
        items.map((i) => ({ owner, kind: i.kind, key: i.key, op: 'put' as const, value: i.value })),
        epochOf(),
      );
      return { imported: items.length };
    }),
    route(UserDataContracts.purge, async ({ owner }) => {
      const items = await store.userData.list(owner);
      await store.userData.write(
        items.map((i) => ({ owner, kind: i.kind, key: i.key, op: 'del' as const, value: null })),
        epochOf(),
      );
      return { purged: items.length };
    }),
  );
}
