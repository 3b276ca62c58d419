/** @module A user-data store that tells the Backup Service's exporter about each committed write. */
import type { UserDataStore } from '../storage/index.js';

export function observeWrites(store: UserDataStore, onWrite: () => void): UserDataStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'write') {
        return async (...args: Parameters<UserDataStore['write']>) => {
          const seqs = await target.write(...args);
          onWrite();
          return seqs;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
