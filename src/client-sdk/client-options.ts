/**
 * @module TandemClient options: validated, defaults filled and frozen in one place; a bad option throws
 * INVALID_ARGUMENT naming its path (`reconnect.jitter: ...`).
 */
import { issuesText, safeParse } from '../json/safe-parse.js';
import { z } from 'zod';
import { Limits } from '../protocol/limits.js';
import { TandemClientError } from './client-errors.js';

export interface ReconnectOptions {
  /** Reconnect after a lost connection, and retry unreachable or not-yet-ready servers. Default true. */
  readonly enabled?: boolean;
  /** Default 200 ms. */
  readonly initialDelayMs?: number;
  /** Default 10 s. */
  readonly maxDelayMs?: number;
  /** Random fraction taken off each delay, 0..1. Default 0.5. */
  readonly jitter?: number;
}

export interface TandemClientOptions {
  /** wss:// URLs of front-end servers (…/v1/client), tried in order: Tandem servers accept TLS only. */
  readonly urls: readonly string[];
  /**
   * The certificate authorities to trust (PEM), for a deployment whose certificates a private CA issued (the
   * demo's: `<data folder>/pki/ca.crt`). Default: the system's trusted authorities.
   */
  readonly ca?: string | readonly string[];
  /** SIP address, e.g. sip:alice@litwareinc.com. */
  readonly user: string;
  readonly password?: string;
  /** A sign-in token from an earlier sign-in; preferred over the password while it is valid. */
  readonly token?: string;
  readonly clientName?: string;
  /** Marks a client that cannot sign in during failback (the server refuses it then). */
  readonly legacy?: boolean;
  /** Per-request timeout, also the WebSocket handshake timeout. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** Default Limits.keepaliveIntervalMs. */
  readonly keepaliveIntervalMs?: number;
  readonly reconnect?: ReconnectOptions;
  /** SIGNIN_REDIRECTs followed in one round before giving up with REDIRECT_LOOP. Default 5. */
  readonly maxRedirects?: number;
  /** Source of randomness for the jitter (tests pass a fixed one). Default Math.random. */
  readonly random?: () => number;
  /** The local IP address to connect from (a multi-homed host; load generators spread over several). */
  readonly localAddress?: string;
  /**
   * A TLS session to resume at the first connection, as `tlsSession()` of an earlier client gave it (an
   * application that restarts keeps it to save a full handshake). Any server of the deployment resumes it.
   */
  readonly tlsSession?: Buffer;
  /**
   * Whether reconnections resume the last TLS session. Default true; false makes every connection a full
   * handshake (to measure what resumption saves, or to rule it out when troubleshooting).
   */
  readonly resumeTlsSessions?: boolean;
}

export interface ClientConfig {
  readonly urls: readonly string[];
  readonly ca: readonly string[] | undefined;
  readonly user: string;
  readonly password: string | undefined;
  readonly token: string | undefined;
  readonly clientName: string | undefined;
  readonly legacy: boolean | undefined;
  readonly requestTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly reconnect: Readonly<Required<ReconnectOptions>>;
  readonly maxRedirects: number;
  readonly random: () => number;
  readonly localAddress: string | undefined;
  readonly tlsSession: Buffer | undefined;
  readonly resumeTlsSessions: boolean;
}

const positiveMs = z.number().int().positive().max(2_147_483_647);

const OptionsSchema = z
  .object({
    urls: z
      .array(z.string().regex(/^wss:\/\/\S+$/i, 'a wss:// URL (Tandem servers accept TLS only, never ws://)'))
      .min(1),
    ca: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (typeof v === 'string' ? [v] : v))
      .pipe(
        z.array(z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'a PEM certificate' })).min(1),
      )
      .optional(),
    user: z.string().min(1),
    password: z.string().min(1).optional(),
    token: z.string().min(1).optional(),
    clientName: z.string().max(64).optional(),
    legacy: z.boolean().optional(),
    requestTimeoutMs: positiveMs.default(10_000),
    keepaliveIntervalMs: positiveMs.default(Limits.keepaliveIntervalMs),
    reconnect: z
      .object({
        enabled: z.boolean().default(true),
        initialDelayMs: positiveMs.default(200),
        maxDelayMs: positiveMs.default(10_000),
        jitter: z.number().min(0).max(1).default(0.5),
      })
      .default({ enabled: true, initialDelayMs: 200, maxDelayMs: 10_000, jitter: 0.5 }),
    maxRedirects: z.number().int().min(0).max(100).default(5),
    random: z.custom<() => number>((v) => typeof v === 'function', 'a function').default(() => Math.random),
    localAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
    tlsSession: z.instanceof(Buffer).optional(),
    resumeTlsSessions: z.boolean().default(true),
  })
  .refine((o) => o.password !== undefined || o.token !== undefined, {
    message: 'give a password or a token',
    path: ['password'],
  })
  .refine((o) => o.resumeTlsSessions || o.tlsSession === undefined, {
    message: 'a session to resume cannot be given with resumeTlsSessions: false',
    path: ['tlsSession'],
  })
  .refine((o) => o.reconnect.maxDelayMs >= o.reconnect.initialDelayMs, {
    message: 'must not be smaller than reconnect.initialDelayMs',
    path: ['reconnect', 'maxDelayMs'],
  });

export function resolveClientOptions(options: TandemClientOptions): ClientConfig {
  const parsed = safeParse(OptionsSchema, options);
  if (!parsed.success) {
    const detail = issuesText(parsed.error, '(options)');
    throw TandemClientError.of('INVALID_ARGUMENT', { detail: `TandemClient options: ${detail}` });
  }
  const o = parsed.data;
  return Object.freeze({
    urls: Object.freeze([...o.urls]),
    ca: o.ca ? Object.freeze([...o.ca]) : undefined,
    user: o.user,
    password: o.password,
    token: o.token,
    clientName: o.clientName,
    legacy: o.legacy,
    requestTimeoutMs: o.requestTimeoutMs,
    keepaliveIntervalMs: o.keepaliveIntervalMs,
    reconnect: Object.freeze({ ...o.reconnect }),
    maxRedirects: o.maxRedirects,
    random: o.random,
    localAddress: o.localAddress,
    tlsSession: o.tlsSession,
    resumeTlsSessions: o.resumeTlsSessions,
  });
}
