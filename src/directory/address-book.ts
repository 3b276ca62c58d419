/** @module The address book: search the directory by display name or SIP address, with paging. */
import type { CmsView } from '../cms/cms-view.js';

export interface AddressBookPage {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly results: readonly { readonly sip: string; readonly displayName: string }[];
}

export class AddressBook {
  constructor(private readonly view: CmsView) {}

  /**
   * Whether the address book lists this user (it exists and is enabled). Other operations that take a user
   * (presence.subscribe) refuse exactly the users this refuses, so that they reveal no more than a search.
   */
  lists(sip: string): boolean {
    return this.view.user(sip)?.enabled === true;
  }

  search(query: string, page: number, pageSize: number): AddressBookPage {
    const q = query.trim().toLowerCase();
    const hits = [...this.view.allUsers()]
      .filter((u) => u.enabled && (q === '' || u.displayName.toLowerCase().includes(q) || u.sip.includes(q)))
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.sip.localeCompare(b.sip));
    const start = page * pageSize;
    return {
      total: hits.length,
      page,
      pageSize,
      results: hits.slice(start, start + pageSize).map((u) => ({ sip: u.sip, displayName: u.displayName })),
    };
  }
}
