/**
 * @module Shapes shared by requests, responses and pushes of the client protocol: each a schema, and its type
 * derived from it.
 */
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
export const ClientModeSchema = z.enum([ClientMode.Regular, ClientMode.Resiliency]);

/**
 * What a sender may hand over for a shape: every field and array readonly, so that a service can answer with
 * the data it keeps (a readonly list) and the compiler still checks each field against the wire's schema.
 */
export type Sendable<T> = T extends readonly (infer E)[]
  ? readonly Sendable<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Sendable<T[K]> }
    : T;

/** What others see: a published availability, or Unknown (resiliency mode, or the user's pool was lost). */
export const SeenAvailabilitySchema = z.enum([...AvailabilitySchema.options, 'Unknown']);

/** The error of an error response, and of each refused item of a partial answer. */
export const WireErrorSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  retryable: z.boolean().optional(),
  // Undefined values are the sender's (ErrorParams allow them); JSON drops them, so a reader never sees one.
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).optional()).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** A front-end server and its client URL. */
export const ServerAddressSchema = z.object({ fqdn: z.string(), url: z.string().min(1) });

export const RegistrarInfoSchema = z.object({
  pool: z.string(),
  /** Front-end servers in the user's preferred order, with their client URLs. */
  servers: z.array(ServerAddressSchema),
});
export type RegistrarInfo = Sendable<z.output<typeof RegistrarInfoSchema>>;

export const PresenceStateSchema = z.object({
  sip: z.string(),
  availability: SeenAvailabilitySchema,
  note: z.string(),
  /** When the state was published (ms since epoch), 0 if never. */
  at: z.number(),
});
export type PresenceState = Sendable<z.output<typeof PresenceStateSchema>>;

export const ContactSchema = z.object({ sip: z.string(), group: z.string(), displayName: z.string() });
export type Contact = Sendable<z.output<typeof ContactSchema>>;

export const MeetingSchema = z.object({
  meetingId: z.string(),
  organizer: z.string(),
  subject: z.string(),
  start: z.string(),
  end: z.string(),
  invitees: z.array(z.string()),
});
export type Meeting = Sendable<z.output<typeof MeetingSchema>>;

export const ContentKindSchema = z.enum(['file', 'whiteboard']);

export const ContentItemSchema = z.object({
  contentId: z.string(),
  confId: z.string(),
  name: z.string(),
  kind: ContentKindSchema,
  size: z.number(),
  sha256: z.string(),
  uploadedBy: z.string(),
  at: z.number(),
});
export type ContentItem = Sendable<z.output<typeof ContentItemSchema>>;

export const RosterEntrySchema = z.object({
  sip: z.string(),
  displayName: z.string(),
  role: z.enum(['organizer', 'attendee']),
});
export type RosterEntry = Sendable<z.output<typeof RosterEntrySchema>>;

export type SeenAvailability = z.output<typeof SeenAvailabilitySchema>;
