/** @module Shapes shared by requests, responses and pushes of the client protocol. */
import { z } from 'zod';

export const Availability = {
  Online: 'Online',
  Busy: 'Busy',
  DoNotDisturb: 'DoNotDisturb',
  BeRightBack: 'BeRightBack',
  Away: 'Away',
  Offline: 'Offline',
} as const;
export type Availability = (typeof Availability)[keyof typeof Availability];

/** What others see: a published availability, or Unknown while the user is in resiliency mode. */
export type SeenAvailability = Availability | 'Unknown';

export const AvailabilitySchema = z.enum([
  Availability.Online,
  Availability.Busy,
  Availability.DoNotDisturb,
  Availability.BeRightBack,
  Availability.Away,
  Availability.Offline,
]);

export const SipSchema = z
  .string()
  .max(256)
  .regex(
    /^(sip:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/,
    'a SIP address such as sip:alice@litwareinc.com',
  );

/** Standard base64 with padding (RFC 4648 §4); anchored and linear, so a long refusal costs one pass. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Binary data in a frame: Node's decoder would turn anything else into garbage bytes, silently. */
export function base64Schema(maxChars: number) {
  return z
    .string()
    .max(maxChars)
    .regex(
      BASE64,
      'must be base64 (RFC 4648, A-Z a-z 0-9 + /, padded with =): encode the file before sending it',
    );
}

export const ClientMode = { Regular: 'regular', Resiliency: 'resiliency' } as const;
export type ClientMode = (typeof ClientMode)[keyof typeof ClientMode];

export interface RegistrarInfo {
  readonly pool: string;
  /** Front-end servers in the user's preferred order, with their client URLs. */
  readonly servers: readonly { readonly fqdn: string; readonly url: string }[];
}

export interface PresenceState {
  readonly sip: string;
  readonly availability: SeenAvailability;
  readonly note: string;
  /** When the state was published (ms since epoch), 0 if never. */
  readonly at: number;
}

export interface Contact {
  readonly sip: string;
  readonly group: string;
  readonly displayName: string;
}

export interface Meeting {
  readonly meetingId: string;
  readonly organizer: string;
  readonly subject: string;
  readonly start: string;
  readonly end: string;
  readonly invitees: readonly string[];
}

export interface ContentItem {
  readonly contentId: string;
  readonly confId: string;
  readonly name: string;
  readonly kind: 'file' | 'whiteboard';
  readonly size: number;
  readonly sha256: string;
  readonly uploadedBy: string;
  readonly at: number;
}

export interface RosterEntry {
  readonly sip: string;
  readonly displayName: string;
  readonly role: 'organizer' | 'attendee';
}
