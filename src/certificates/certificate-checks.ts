/**
 * @module The checks a certificate passes before a server uses it: readable, its key, issued by the CA, within
 * its validity, naming the server. Each failure is a CERT_ error that names the file; a private key is never
 * quoted, nor is a parser's message about one.
 */
import { createPrivateKey, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto';
import { TandemError } from '../errors/index.js';
import { x509 } from './x509-library.js';

/** One certificate, parsed twice: Node's for the cryptographic checks, the library's for names and dates. */
export interface ParsedCertificate {
  readonly pem: string;
  readonly node: NodeCertificate;
  readonly parsed: x509.X509Certificate;
}

const CERTIFICATE_PEM = /-----BEGIN CERTIFICATE-----/;
const PRIVATE_KEY_PEM = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/** Whether a file's bytes are PEM text (a PEM certificate or key) rather than DER, such as a PKCS#12 (PFX) file. */
export function isPemFile(bytes: Buffer): boolean {
  return bytes.includes('-----BEGIN ');
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Parses the first certificate of a PEM text; `fail` builds the error for text that is none. */
function parse(pem: string, fail: (detail: string, cause?: unknown) => TandemError): ParsedCertificate {
  if (!CERTIFICATE_PEM.test(pem)) throw fail('it holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  try {
    const node = new NodeCertificate(pem);
    return { pem, node, parsed: new x509.X509Certificate(node.raw) };
  } catch (err) {
    throw fail(`its certificate cannot be parsed (${reason(err)})`, err);
  }
}

export function parseCertificate(pem: string, file: string): ParsedCertificate {
  return parse(pem, (detail, cause) => new TandemError('CERT_UNREADABLE', { file, detail }, { cause }));
}

/** A CA certificate: PEM, parseable, and marked as a CA (basicConstraints CA:TRUE). */
export function parseCaCertificate(pem: string, file: string): ParsedCertificate {
  const ca = parse(
    pem,
    (detail, cause) => new TandemError('CERT_CA_UNREADABLE', { file, detail }, { cause }),
  );
  if (!ca.node.ca) {
    throw new TandemError('CERT_CA_UNREADABLE', {
      file,
      detail: `"${ca.parsed.subject}" is not a CA certificate (its basicConstraints do not say CA)`,
    });
  }
  return ca;
}

/**
 * The private key of the certificate `file` (PKCS#8 or another PEM form), read from `keyFile` when that is
 * another file. The parser's own message is left out: it could echo key material.
 */
export function parsePrivateKey(pem: string, file: string, keyFile?: string): KeyObject {
  const detail = `its private key${keyFile === undefined ? '' : ` ${keyFile}`} is not a readable, unencrypted PEM private key`;
  if (!PRIVATE_KEY_PEM.test(pem)) throw new TandemError('CERT_UNREADABLE', { file, detail });
  try {
    return createPrivateKey(pem);
  } catch {
    throw new TandemError('CERT_UNREADABLE', { file, detail });
  }
}

/** The names a certificate is valid for: its subjectAltName DNS names and IP addresses. */
export function alternativeNamesOf(cert: ParsedCertificate): string[] {
  const san = cert.parsed.getExtension(x509.SubjectAlternativeNameExtension);
  return (san?.names.items ?? []).filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value);
}

/** Whether `cert` was issued by `ca`: its issuer is the CA's subject and the CA's key verifies its signature. */
export function isIssuedBy(cert: ParsedCertificate, ca: ParsedCertificate): boolean {
  return cert.node.checkIssued(ca.node) && cert.node.verify(ca.node.publicKey);
}

export interface CertificateCheck {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
  /** The server the certificate must name (a subjectAltName DNS name; wildcards as TLS clients match them). */
  readonly fqdn: string;
  /** The certificate's file, named by every error. */
  readonly file: string;
  /** The key's file when it is another one (named, beside the certificate, when the key cannot be read). */
  readonly keyFile?: string;
  /** The CA certificate's file (named when it cannot be read). */
  readonly caFile?: string;
  readonly now?: Date;
}

/** Runs every check, in the order an administrator fixes them; returns the certificate parsed. */
export function checkCertificate(check: CertificateCheck): ParsedCertificate {
  const { file } = check;
  const cert = parseCertificate(check.certPem, file);
  const key = parsePrivateKey(check.keyPem, file, check.keyFile);
  if (!cert.node.checkPrivateKey(key)) throw new TandemError('CERT_KEY_MISMATCH', { file });
  const ca = parseCaCertificate(check.caPem, check.caFile ?? 'the CA certificate');
  if (!isIssuedBy(cert, ca)) {
    throw new TandemError('CERT_NOT_TRUSTED', { file, issuer: cert.parsed.issuer, ca: ca.parsed.subject });
  }
  const now = check.now ?? new Date();
  if (cert.parsed.notAfter < now) {
    throw new TandemError('CERT_EXPIRED', { file, notAfter: cert.parsed.notAfter.toISOString() });
  }
  if (cert.parsed.notBefore > now) {
    throw new TandemError('CERT_NOT_YET_VALID', { file, notBefore: cert.parsed.notBefore.toISOString() });
  }
  if (cert.node.checkHost(check.fqdn, { subject: 'never' }) === undefined) {
    const names = alternativeNamesOf(cert);
    throw new TandemError('CERT_NAME_MISMATCH', {
      file,
      fqdn: check.fqdn,
      names: names.length > 0 ? names.join(', ') : 'none',
    });
  }
  return cert;
}
