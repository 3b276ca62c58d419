/**
 * @module The contact list: groups and contacts, kept as persistent user data in the home pool's store.
 * Each operation is one transaction, so a rename moves every contact of the group or none.
 */
import type { UserDataAccess, JsonChange } from '../user-data/user-data-access.js';
import type { Contact } from '../protocol/model.js';
import { Limits } from '../protocol/limits.js';
import { TandemError } from '../errors/index.js';

const GROUP = 'group';
const CONTACT = 'contact';
export const DEFAULT_GROUP = 'Contacts';

interface ContactValue {
  group: string;
}

export class ContactService {
  constructor(
    private readonly data: UserDataAccess,
    private readonly displayNameOf: (sip: string) => string,
  ) {}

  async list(owner: string): Promise<{ groups: string[]; contacts: Contact[] }> {
    const [groups, contacts] = await Promise.all([
      this.data.list<object>(owner, GROUP),
      this.data.list<ContactValue>(owner, CONTACT),
    ]);
    return {
      groups: groups.map((g) => g.key).sort((a, b) => a.localeCompare(b)),
      contacts: contacts
        .map((c) => ({ sip: c.key, group: c.value.group, displayName: this.displayNameOf(c.key) }))
        .sort((a, b) => a.displayName.localeCompare(b.displayName)),
    };
  }

  async add(owner: string, sip: string, group = DEFAULT_GROUP): Promise<Contact> {
    if (sip === owner)
      throw new TandemError('INVALID_ARGUMENT', { detail: 'a user cannot add itself as a contact' });
    const { groups, contacts } = await this.list(owner);
    if (!contacts.some((c) => c.sip === sip) && contacts.length >= Limits.maxContacts) {
      throw new TandemError('LIMIT_EXCEEDED', { what: 'The contact list', limit: Limits.maxContacts });
    }
    const changes: JsonChange[] = [
      ...this.ensureGroup(groups, group),
      { kind: CONTACT, key: sip, value: { group } },
    ];
    await this.data.write(owner, changes);
    return { sip, group, displayName: this.displayNameOf(sip) };
  }

  async remove(owner: string, sip: string): Promise<void> {
    await this.requireContact(owner, sip);
    await this.data.write(owner, [{ kind: CONTACT, key: sip, value: undefined }]);
  }

  async move(owner: string, sip: string, group: string): Promise<Contact> {
    await this.requireContact(owner, sip);
    const { groups } = await this.list(owner);
    await this.data.write(owner, [
      ...this.ensureGroup(groups, group),
      { kind: CONTACT, key: sip, value: { group } },
    ]);
    return { sip, group, displayName: this.displayNameOf(sip) };
  }

  async addGroup(owner: string, name: string): Promise<void> {
    const { groups } = await this.list(owner);
    if (groups.includes(name))
      throw new TandemError('CONFLICT', { detail: `The group ${name} exists already.` });
    await this.data.write(owner, this.ensureGroup(groups, name));
  }

  async renameGroup(owner: string, name: string, newName: string): Promise<void> {
    const { groups, contacts } = await this.list(owner);
    if (!groups.includes(name)) throw new TandemError('NOT_FOUND', { what: 'Group', name });
    if (groups.includes(newName))
      throw new TandemError('CONFLICT', { detail: `The group ${newName} exists already.` });
    await this.data.write(owner, [
      { kind: GROUP, key: newName, value: {} },
      ...contacts
        .filter((c) => c.group === name)
        .map((c) => ({ kind: CONTACT, key: c.sip, value: { group: newName } })),
      { kind: GROUP, key: name, value: undefined },
    ]);
  }

  async removeGroup(owner: string, name: string): Promise<void> {
    const { groups, contacts } = await this.list(owner);
    if (!groups.includes(name)) throw new TandemError('NOT_FOUND', { what: 'Group', name });
    await this.data.write(owner, [
      ...contacts
        .filter((c) => c.group === name)
        .map((c) => ({ kind: CONTACT, key: c.sip, value: undefined })),
      { kind: GROUP, key: name, value: undefined },
    ]);
  }

  private ensureGroup(groups: readonly string[], group: string): JsonChange[] {
    if (groups.includes(group)) return [];
    if (groups.length >= Limits.maxGroups)
      throw new TandemError('LIMIT_EXCEEDED', { what: 'The number of groups', limit: Limits.maxGroups });
    return [{ kind: GROUP, key: group, value: {} }];
  }

  private async requireContact(owner: string, sip: string): Promise<void> {
    if (!(await this.data.get(owner, CONTACT, sip)))
      throw new TandemError('NOT_FOUND', { what: 'Contact', name: sip });
  }
}
