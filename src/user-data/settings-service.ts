/** @module User settings: a flat map of strings, persisted and replicated as user data. */
import type { UserDataAccess } from './user-data-access.js';

const KIND = 'setting';

export class SettingsService {
  constructor(private readonly data: UserDataAccess) {}

  async get(owner: string): Promise<Record<string, string>> {
    const items = await this.data.list<string>(owner, KIND);
    return Object.fromEntries(items.map((i) => [i.key, i.value]));
  }

  async set(owner: string, key: string, value: string | null): Promise<void> {
    await this.data.write(owner, [{ kind: KIND, key, value: value ?? undefined }]);
  }
}
