/**
 * @module Sign-in tokens: `v1.<claims>.<signature>`, HMAC-SHA256 with a key derived from the deployment key.
 * Any server of the deployment verifies one without asking another server or a shared database, so a client
 * can sign in at its backup pool while its home pool is unreachable. A token names the user's token
 * generation: Disable-CsUser and Set-CsUserPassword raise it, which revokes every token issued before.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const ClaimsSchema = z.object({
  sip: z.string(),
  gen: z.number().int().nonnegative(),
  iat: z.number(),
  exp: z.number(),
  /** When the session began (its password sign-in); renewals keep it. Absent in older tokens: iat. */
  sess: z.number().optional(),
});
export type TokenClaims = z.infer<typeof ClaimsSchema>;

export type TokenVerdict =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad-signature' | 'expired'; readonly exp?: number };

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(`v1.${body}`).digest('base64url');
}

export function issueToken(key: Buffer, claims: TokenClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `v1.${body}.${sign(key, body)}`;
}

export function verifyToken(key: Buffer, token: string, now = Date.now()): TokenVerdict {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || !parts[1] || !parts[2])
    return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(sign(key, parts[1]), 'base64url');
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  let claims: TokenClaims;
  try {
    claims = ClaimsSchema.parse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.exp <= now) return { ok: false, reason: 'expired', exp: claims.exp };
  return { ok: true, claims };
}
