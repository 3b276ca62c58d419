/**
 * @module Moving a user's persistent data between pools over server-to-server links (Move-CsUser): export
 * from the old home pool, import as new writes on the new one (so its Backup Service ships them), purge.
 */
import { z } from 'zod';
import type { Store, UserItem } from '../storage/index.js';
import type { UserDataMover } from '../directory/user-directory.js';
import type { PeerClient } from './peer-client.js';
import { route, S2S_BULK_BODY_BYTES, type S2sRoutes } from './s2s-router.js';

/** Routes that carry stored data in bulk take larger bodies. */
const BULK = { maxBodyBytes: S2S_BULK_BODY_BYTES };
import { TandemError, toTandemError } from '../errors/index.js';

export const UserDataPaths = {
  export: '/s2s/v1/userdata/export',
  import: '/s2s/v1/userdata/import',
  purge: '/s2s/v1/userdata/purge',
} as const;

const ItemSchema = z.object({ kind: z.string(), key: z.string(), value: z.string() });
const OwnerSchema = z.object({ owner: z.string().min(1) });

/** Tries each server of a pool in order, moving on only when one is unreachable. */
async function atPool<T>(
  servers: readonly string[],
  pool: string,
  call: (server: string) => Promise<T>,
): Promise<T> {
  let last: unknown;
  for (const s of servers) {
    try {
      return await call(s);
    } catch (err) {
      if (toTandemError(err).code !== 'S2S_UNREACHABLE') throw err;
      last = err;
    }
  }
  throw new TandemError(
    'STORAGE_UNAVAILABLE',
    { pool, detail: 'no front-end server of the pool answered' },
    { cause: last },
  );
}

export function userDataMover(
  peer: PeerClient,
  serversOf: (pool: string) => readonly string[],
): UserDataMover {
  return {
    async copy(owner, fromPool, toPool) {
      const res = await atPool(serversOf(fromPool), fromPool, (s) =>
        peer.post(s, UserDataPaths.export, { owner }),
      );
      const items = z.object({ items: z.array(ItemSchema) }).parse(res).items;
      await atPool(serversOf(toPool), toPool, (s) => peer.post(s, UserDataPaths.import, { owner, items }));
      return items.length;
    },
    async purge(owner, pool) {
      await atPool(serversOf(pool), pool, (s) => peer.post(s, UserDataPaths.purge, { owner }));
    },
  };
}

export function userDataRoutes(store: Store, epochOf: () => number): S2sRoutes {
  return {
    [UserDataPaths.export]: route(OwnerSchema, async ({ owner }) => {
      const items = await store.userData.list(owner);
      return { items: items.map((i: UserItem) => ({ kind: i.kind, key: i.key, value: i.value })) };
    }),
    [UserDataPaths.import]: route(
      OwnerSchema.extend({ items: z.array(ItemSchema) }),
      async ({ owner, items }) => {
        await store.userData.write(
          items.map((i) => ({ owner, kind: i.kind, key: i.key, op: 'put' as const, value: i.value })),
          epochOf(),
        );
        return { imported: items.length };
      },
      BULK,
    ),
    [UserDataPaths.purge]: route(OwnerSchema, async ({ owner }) => {
      const items = await store.userData.list(owner);
      await store.userData.write(
        items.map((i) => ({ owner, kind: i.kind, key: i.key, op: 'del' as const, value: null })),
        epochOf(),
      );
      return { purged: items.length };
    }),
  };
}
