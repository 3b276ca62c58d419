/**
 * @module Conference ids name their organizer (`alice@litwareinc.com/adhoc-3k9f2a`, `.../m-7q2w9e`), so any
 * server can find the host — the organizer's serving pool — without a shared lookup.
 */
import { randomHex } from '../security/random-pool.js';
import { normalizeSip } from '../directory/sip-address.js';
import { TandemError } from '../errors/index.js';

export type ConferenceKind = 'adhoc' | 'm';

export function newConferenceId(organizer: string, kind: ConferenceKind): string {
  return `${organizer.replace(/^sip:/, '')}/${kind}-${randomHex(5)}`;
}

export function organizerOf(confId: string): string {
  const [user, code] = confId.split('/');
  const sip = user && code ? normalizeSip(user) : undefined;
  if (!sip || !/^(adhoc|m)-[0-9a-f]{6,20}$/.test(code ?? ''))
    throw new TandemError('CONFERENCE_NOT_FOUND', { confId });
  return sip;
}

export function isMeetingId(confId: string): boolean {
  return /\/m-[0-9a-f]+$/.test(confId);
}
