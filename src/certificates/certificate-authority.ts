/**
 * @module A certificate authority in memory: create one (self-signed), and issue TLS certificates from it. Files
 * and checks are elsewhere (deployment-pki.ts, certificate-checks.ts); this is only what is signed, and how.
 */
import { TandemError } from '../errors/index.js';
import { generateKeyPair, importSigningKey, KEY_ALGORITHM, privateKeyPem, x509 } from './x509-library.js';

/** A certificate and its private key, both PEM (the key PKCS#8). */
export interface CertificateAndKey {
  readonly cert: string;
  readonly key: string;
}

export interface Validity {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface IssueOptions extends Validity {
  /** DNS names; the first is also the subject's common name. */
  readonly names: readonly string[];
  /** IP addresses (v4 or v6) the certificate also names. */
  readonly ips?: readonly string[];
}

const DAY_MS = 86_400_000;
export const CA_VALIDITY_DAYS = 3650;
export const SERVER_VALIDITY_DAYS = 730;
/**
 * New certificates start an hour back: a server whose clock is a little behind the issuing machine's would
 * otherwise refuse a certificate issued a moment ago as not yet valid.
 */
const BACKDATE_MS = 3_600_000;

function validity(opts: Validity, days: number): { notBefore: Date; notAfter: Date } {
  const notBefore = opts.notBefore ?? new Date(Date.now() - BACKDATE_MS);
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + BACKDATE_MS + days * DAY_MS);
  return { notBefore, notAfter };
}

/** A name as one RDN set, so that a deployment name with `,` or `=` stays the text of the CN. */
function commonName(cn: string): x509.JsonName {
  return [{ CN: [cn] }];
}

/** A self-signed CA: basicConstraints CA (critical), keyUsage keyCertSign + cRLSign, 10 years by default. */
export async function createCa(name: string, opts: Validity = {}): Promise<CertificateAndKey> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: commonName(name),
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    ...validity(opts, CA_VALIDITY_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

/** The subjectAltName extension for DNS names and IP addresses, shared by certificates and requests. */
export function alternativeNames(names: readonly string[], ips: readonly string[] = []): x509.Extension {
  return new x509.SubjectAlternativeNameExtension([
    ...names.map((value) => ({ type: 'dns' as const, value })),
    ...ips.map((value) => ({ type: 'ip' as const, value })),
  ]);
}

/** Key usage of a TLS certificate: servers use theirs both to accept and to open (mutual TLS) connections. */
export function tlsUsageExtensions(): x509.Extension[] {
  return [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
  ];
}

/**
 * Issues a TLS certificate (2 years by default, never past the CA's own end) for `names` and `ips`, with a new
 * key, signed by `ca`. Validity may be set in the past: tests issue expired certificates this way.
 */
export async function issueCertificate(
  ca: CertificateAndKey,
  opts: IssueOptions,
): Promise<CertificateAndKey> {
  const first = opts.names[0];
  if (first === undefined) {
    throw new TandemError('INVALID_ARGUMENT', { detail: 'a certificate needs at least one DNS name' });
  }
  const caCert = new x509.X509Certificate(ca.cert);
  const dates = validity(opts, SERVER_VALIDITY_DAYS);
  if (opts.notAfter === undefined && dates.notAfter > caCert.notAfter) dates.notAfter = caCert.notAfter;
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    subject: commonName(first),
    issuer: caCert.subjectName,
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.key),
    signingAlgorithm: KEY_ALGORITHM,
    ...dates,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...tlsUsageExtensions(),
      alternativeNames(opts.names, opts.ips),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}
