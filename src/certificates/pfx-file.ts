/**
 * @module PKCS#12 (PFX) files, as Windows and OpenSSL export a certificate with its private key: opened with
 * their password (the integrity MAC is checked first, so a wrong password is told apart from a damaged file),
 * and the server's certificate and its key taken out as PEM for the checks every imported certificate passes.
 * node-forge reads the format, both OpenSSL 3's AES-256/PBKDF2 and the 3DES/RC2 of older Windows exports;
 * it cannot represent an EC key or certificate, so those come from the decrypted ASN.1 it passes through,
 * and Node's crypto parses every key and certificate. No message here quotes the password, a key, or a
 * parser's words about either.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { TandemError } from '../errors/index.js';

export interface PfxContents {
  /** The certificate whose public key is the private key's (the leaf; a chain's CA certificates are left). */
  readonly certPem: string;
  /** Its private key, unencrypted PKCS#8 PEM (kept in the data folder like every server key). */
  readonly keyPem: string;
}

type Bag = forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };

/** The PKCS#12 bag types (RFC 7292): a key, an encrypted (shrouded) key, a certificate. */
const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  certificate: '1.2.840.113549.1.12.10.1.3',
} as const;

function unreadable(file: string, detail: string): TandemError {
  return new TandemError('CERT_PFX_UNREADABLE', { file, detail });
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** Opens the PFX; forge's errors are told apart by what they say, and none of their text is passed on. */
function open(bytes: Buffer, password: string, file: string): forge.pkcs12.Pkcs12Pfx {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(bytes.toString('binary'), true);
  } catch {
    throw unreadable(file, 'it is neither a PEM file nor a PKCS#12 (PFX) file');
  }
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    if (/MAC could not be verified/i.test(message)) throw new TandemError('CERT_PFX_PASSWORD', { file });
    if (/wrong password|Failed to decrypt/i.test(message)) {
      // The MAC, when there is one, took the password; forge's PBKDF2 reads a password's characters as bytes,
      // so an AES export (PBES2) with a password beyond ASCII cannot be decrypted here.
      if (!/^[\x20-\x7e]*$/.test(password)) {
        throw unreadable(
          file,
          'its password has characters beyond ASCII, which Tandem cannot use to decrypt an AES-protected PFX; export it again with a password of ASCII letters, digits and symbols',
        );
      }
      throw new TandemError('CERT_PFX_PASSWORD', { file });
    }
    if (/unsupported|unknown/i.test(message)) {
      throw unreadable(
        file,
        'it is protected with an algorithm Tandem cannot read; export it again with AES-256 (Windows: Export-PfxCertificate -CryptoAlgorithmOption AES256_SHA256; OpenSSL 3: openssl pkcs12 -export)',
      );
    }
    throw unreadable(file, 'it is not a PKCS#12 (PFX) file Tandem can read');
  }
}

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, type: string): Bag[] {
  return p12.getBags({ bagType: type })[type] ?? [];
}

/** A key bag's PKCS#8 key: forge's RSA key object, or the ASN.1 it keeps for a key type it does not know (EC). */
function keyOf(bag: Bag, file: string): KeyObject {
  const asn1 =
    bag.asn1 ?? (bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : undefined);
  try {
    if (asn1 === undefined) throw new Error('no key');
    return createPrivateKey({ key: derOf(asn1), format: 'der', type: 'pkcs8' });
  } catch {
    throw unreadable(file, 'its private key cannot be read');
  }
}

function certificateOf(bag: Bag, file: string): X509Certificate {
  const asn1 = bag.asn1 ?? (bag.cert ? forge.pki.certificateToAsn1(bag.cert) : undefined);
  try {
    if (asn1 === undefined) throw new Error('no certificate');
    return new X509Certificate(derOf(asn1));
  } catch {
    throw unreadable(file, 'a certificate in it cannot be read');
  }
}

/**
 * The certificate and private key of the PFX `bytes`, opened with `password`. Throws CERT_PFX_PASSWORD for a
 * password that does not open it, CERT_PFX_UNREADABLE for a file that is no PFX or not one key with its
 * certificate, CERT_KEY_MISMATCH when no certificate in it is the key's.
 */
export function readPfx(bytes: Buffer, password: string, file: string): PfxContents {
  const p12 = open(bytes, password, file);
  const keyBags = [...bagsOf(p12, BAG.shroudedKey), ...bagsOf(p12, BAG.key)];
  if (keyBags.length === 0) {
    throw unreadable(
      file,
      'it holds no private key: export the certificate with its private key (Windows: "Yes, export the private key")',
    );
  }
  if (keyBags.length > 1) {
    throw unreadable(
      file,
      `it holds ${keyBags.length} private keys: export only this server's certificate with its key`,
    );
  }
  const key = keyOf(keyBags[0] as Bag, file);
  const certs = bagsOf(p12, BAG.certificate).map((bag) => certificateOf(bag, file));
  if (certs.length === 0) throw unreadable(file, 'it holds no certificate');
  const leaf = certs.find((cert) => cert.checkPrivateKey(key));
  if (leaf === undefined) throw new TandemError('CERT_KEY_MISMATCH', { file });
  return {
    certPem: leaf.toString(),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
