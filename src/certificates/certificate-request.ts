/**
 * @module A certificate from an external CA: the request an administrator sends it (Request-CsCertificate
 * -Output), and the checks on the certificate that comes back with its key (Import-CsCertificate).
 */
import { FriendlyName, id_pkcs9_at_friendlyName } from '@peculiar/asn1-pkcs9';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TandemError } from '../errors/index.js';
import { alternativeNames, tlsUsageExtensions } from './certificate-authority.js';
import { checkCertificate } from './certificate-checks.js';
import { describeParsed, type CertificateInfo } from './certificate-info.js';
import { generateKeyPair, KEY_ALGORITHM, privateKeyPem, x509 } from './x509-library.js';

export interface CertificateRequestOptions {
  /** DNS names the certificate is for; the first is the subject's common name. */
  readonly domainNames: readonly string[];
  /** The label the request carries (PKCS#9 friendlyName), as Windows shows it beside the certificate. */
  readonly friendlyName?: string;
  /** The FQDNs of the topology's servers and pools: only these may be requested. */
  readonly allowedNames: readonly string[];
}

/** Refuses a request naming anything but servers and pools of the topology; returns the names lower-cased. */
export function namesInTopology(
  opts: Pick<CertificateRequestOptions, 'domainNames' | 'allowedNames'>,
): string[] {
  const allowed = new Set(opts.allowedNames.map((n) => n.toLowerCase()));
  const names = [...new Set(opts.domainNames.map((n) => n.trim().toLowerCase()))];
  if (names.length === 0) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: 'a certificate request needs at least one domain name (-DomainName)',
    });
  }
  const outside = names.find((n) => !allowed.has(n));
  if (outside !== undefined) throw new TandemError('CERT_NAME_OUTSIDE_TOPOLOGY', { name: outside });
  return names;
}

/** A PKCS#10 request signed with a new ECDSA P-256 key, and that key (PKCS#8 PEM, for Import-CsCertificate). */
export async function createCertificateRequest(
  opts: CertificateRequestOptions,
): Promise<{ csrPem: string; keyPem: string }> {
  const names = namesInTopology(opts);
  const keys = await generateKeyPair();
  const attributes =
    opts.friendlyName === undefined
      ? []
      : [
          new x509.Attribute(id_pkcs9_at_friendlyName, [
            AsnConvert.serialize(new FriendlyName(opts.friendlyName)),
          ]),
        ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [names[0] ?? ''] }],
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [...tlsUsageExtensions(), alternativeNames(names)],
    attributes,
  });
  return { csrPem: csr.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

export interface ImportedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** The CA the servers' certificates must come from (the deployment's CA file). */
  readonly caPem: string;
  /** The server the certificate is for. */
  readonly fqdn: string;
  /** The file it was read from, named by every error. */
  readonly file: string;
  readonly now?: Date;
}

/** Checks a certificate and key an administrator supplies: readable, its key, from the CA, valid now, naming the server. */
export function checkImportedCertificate(opts: ImportedCertificate): CertificateInfo {
  const cert = checkCertificate({ ...opts, fqdn: opts.fqdn.toLowerCase() });
  return describeParsed(cert, opts.now);
}
