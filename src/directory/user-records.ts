/** @module How users appear in cmdlet output: never with their password hash. */
import type { UserDoc } from '../cms/cms-documents.js';

export function userRecord(user: UserDoc): Record<string, unknown> {
  return {
    Identity: user.displayName,
    SipAddress: user.sip,
    DisplayName: user.displayName,
    RegistrarPool: user.homePool,
    Enabled: user.enabled,
    HasPassword: user.passwordHash !== '',
    WhenCreated: new Date(user.createdAt),
  };
}

/** Finds a user by SIP address (with or without `sip:`) or by exact display name. */
export function findUser(
  users: Iterable<UserDoc>,
  lookup: (sip: string) => UserDoc | undefined,
  identity: string,
): UserDoc | undefined {
  const text = identity.trim();
  const bySip = lookup(text.toLowerCase().startsWith('sip:') ? text : `sip:${text}`);
  if (bySip) return bySip;
  const lower = text.toLowerCase();
  for (const u of users) if (u.displayName.toLowerCase() === lower) return u;
  return undefined;
}
