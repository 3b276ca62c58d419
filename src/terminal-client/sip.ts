/** @module SIP addresses as people type them: `bob`, `bob@litwareinc.com` and `sip:bob@…` all mean the same. */

/** The full `sip:user@domain` form; a bare name takes the signed-in user's domain. */
export function toSip(input: string, domain: string | undefined): string {
  let s = input.trim();
  if (/^sip:/i.test(s)) s = s.slice(4);
  if (!s.includes('@') && domain !== undefined) s = `${s}@${domain}`;
  return `sip:${s}`;
}

/** The domain of a SIP address, lower-cased; undefined when it has none. */
export function domainOf(sip: string): string | undefined {
  const at = sip.lastIndexOf('@');
  return at < 0 ? undefined : sip.slice(at + 1).toLowerCase();
}

/** How the client names a user: the local part in one's own domain (`bob`), else `bob@fabrikam.com`. */
export function shortName(sip: string, domain: string | undefined): string {
  const bare = sip.replace(/^sip:/i, '');
  const at = bare.lastIndexOf('@');
  if (at < 0) return bare;
  return domain !== undefined && bare.slice(at + 1).toLowerCase() === domain ? bare.slice(0, at) : bare;
}

/** Whether two SIP addresses name the same user (the scheme is optional, case does not matter). */
export function sameSip(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/^sip:/i, '').toLowerCase();
  return norm(a) === norm(b);
}
