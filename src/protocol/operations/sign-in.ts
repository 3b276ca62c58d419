/** @module Operations of the session: sign-in, sign-out and the keepalive. */
import { z } from 'zod';
import { ClientModeSchema, RegistrarInfoSchema, SipSchema } from '../model.js';
import { empty, emptyResponse, op, text } from './operation-def.js';

export const SignInResponseSchema = z.object({
  sip: z.string(),
  displayName: z.string(),
  endpointId: z.string(),
  mode: ClientModeSchema,
  /** FQDN of the front-end server that signed the endpoint in. */
  servedBy: z.string(),
  /** The failover epoch of the user's home pool the server acted on; the client sends it back (fencing). */
  poolEpoch: z.number().int().nonnegative().default(0),
  token: z.string().min(1),
  tokenExpiresAt: z.number(),
  registrars: z.object({ primary: RegistrarInfoSchema, backup: RegistrarInfoSchema.optional() }),
});

export const SignInOperations = {
  signIn: op({
    type: 'signin',
    summary: 'Signs in with a password or a sign-in token; may answer SIGNIN_REDIRECT to the serving pool.',
    payload: z
      .object({
        user: SipSchema,
        password: z.string().min(1).max(256).optional(),
        token: z.string().min(1).max(2048).optional(),
        /** The highest failover epoch of the home pool this client has seen: a server with an older view refuses. */
        epoch: z.number().int().nonnegative().optional(),
        /** Capabilities of the client; `legacy` marks a client that cannot sign in during failback. */
        client: z
          .object({ name: text(64).optional(), legacy: z.boolean().optional() })
          .strict()
          .optional(),
      })
      .strict()
      .refine(
        (p) => (p.password === undefined) !== (p.token === undefined),
        'give exactly one of password and token',
      ),
    response: SignInResponseSchema,
    persistent: false,
    blockedInResiliency: false,
    errors: [
      'SIGNIN_FAILED',
      'SIGNIN_REDIRECT',
      'SIGNIN_UNAVAILABLE',
      'SIGNIN_RATE_LIMITED',
      'SIGNIN_BUSY',
      'TOKEN_INVALID',
      'TOKEN_EXPIRED',
      'USER_DISABLED',
      'STALE_EPOCH',
      'LEGACY_CLIENT_REFUSED',
      'TOO_MANY_ENDPOINTS',
      'ALREADY_SIGNED_IN',
      'NOT_SIGNED_IN',
    ],
    beforeSignIn: true,
    example: {
      user: 'sip:alice@litwareinc.com',
      password: 'Tandem-Demo-2026',
      client: { name: 'tandem-cli' },
    },
    exampleResponse: {
      sip: 'sip:alice@litwareinc.com',
      displayName: 'Alice Smith',
      endpointId: 'ep-5f2a9c',
      mode: 'regular',
      servedBy: 'atl-cs-001.litwareinc.com',
      poolEpoch: 0,
      token: 'v1.eyJzaXAiOi….Hs8d…',
      tokenExpiresAt: 1795000000000,
      registrars: {
        primary: {
          pool: 'atl-cs-001.litwareinc.com',
          servers: [{ fqdn: 'atl-cs-001.litwareinc.com', url: 'wss://127.0.0.1:5061/v1/client' }],
        },
        backup: {
          pool: 'dal-cs-001.litwareinc.com',
          servers: [{ fqdn: 'dal-cs-001.litwareinc.com', url: 'wss://127.0.0.1:5062/v1/client' }],
        },
      },
    },
  }),
  signOut: op({
    type: 'signout',
    summary: 'Signs this endpoint out; the server closes the connection with code 1000.',
    payload: empty,
    response: emptyResponse,
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    example: {},
    exampleResponse: {},
  }),
  ping: op({
    type: 'ping',
    summary: 'Keepalive: resets the endpoint expiry. Allowed before sign-in.',
    payload: empty,
    response: z.object({ now: z.number() }),
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    beforeSignIn: true,
    example: {},
    exampleResponse: { now: 1795000000000 },
  }),
} as const;
