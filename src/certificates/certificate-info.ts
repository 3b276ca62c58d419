/**
 * @module A certificate as Get-CsCertificate shows it: issuer, subject, names, thumbprint as Windows writes it,
 * validity, and whether it is close enough to its end that an administrator should replace it now.
 */
import { alternativeNamesOf, parseCertificate, type ParsedCertificate } from './certificate-checks.js';

/** A certificate with fewer days left than this is shown with ExpiryWarning. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

export interface CertificateInfo {
  Issuer: string;
  Subject: string;
  AlternativeNames: string[];
  Thumbprint: string;
  NotBefore: string;
  NotAfter: string;
  SerialNumber: string;
  DaysLeft: number;
  ExpiryWarning: boolean;
}

/** SHA-1 of the DER certificate in upper-case hex without separators, as the Windows certificate store shows it. */
export function thumbprintOf(cert: ParsedCertificate): string {
  return cert.node.fingerprint.replace(/:/g, '').toUpperCase();
}

export function describeParsed(cert: ParsedCertificate, now: Date = new Date()): CertificateInfo {
  const { parsed } = cert;
  const daysLeft = Math.floor((parsed.notAfter.getTime() - now.getTime()) / DAY_MS);
  return {
    Issuer: parsed.issuer,
    Subject: parsed.subject,
    AlternativeNames: alternativeNamesOf(cert),
    Thumbprint: thumbprintOf(cert),
    NotBefore: parsed.notBefore.toISOString(),
    NotAfter: parsed.notAfter.toISOString(),
    SerialNumber: parsed.serialNumber.toUpperCase(),
    DaysLeft: daysLeft,
    ExpiryWarning: daysLeft < EXPIRY_WARNING_DAYS,
  };
}

/** Describes a PEM certificate; throws CERT_UNREADABLE when the text holds none. */
export function describeCertificate(pem: string, now: Date = new Date()): CertificateInfo {
  return describeParsed(parseCertificate(pem, 'the certificate given'), now);
}
