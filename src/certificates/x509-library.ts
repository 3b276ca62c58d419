/**
 * @module @peculiar/x509 made ready for use, and Tandem's one key type. The library resolves its parts through
 * tsyringe, which throws at load unless the Reflect metadata API exists: the polyfill is imported first, here,
 * and every module of this folder imports the library from this file, never directly.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto);

export { x509 };
export type CryptoKey = webcrypto.CryptoKey;

/** ECDSA P-256 with SHA-256: small keys and cheap handshakes; every TLS client of our time accepts it. */
export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** The private key as PKCS#8 PEM, the form Node's `tls` and OpenSSL read. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** A PKCS#8 PEM key as a WebCrypto signing key. */
export function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}
