/**
 * @module How Node names a server certificate that does not verify (untrusted issuer, wrong name, expired):
 * the clients (SDK, shell, links) turn these into an error that says which CA they expected, never into
 * "unreachable", and never retry them as if the server were down.
 */
const UNTRUSTED_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether `err` is a TLS client's refusal of the server's certificate. */
export function isCertificateRejection(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && UNTRUSTED_CODES.has(code);
}
