/**
 * @module The certificates of the SDK's test servers: one CA per test process, and a certificate from it for
 * 127.0.0.1 and localhost. Clients of the tests trust `TEST_CA` as a deployment's clients trust its CA.
 */
import { createCa, issueCertificate, type CertificateAndKey } from '../certificates/certificate-authority.js';

export interface TestTls {
  /** The CA certificate (PEM) the clients trust. */
  readonly ca: string;
  /** The server's certificate and key. */
  readonly server: CertificateAndKey;
}

let made: Promise<TestTls> | undefined;

export function testTls(): Promise<TestTls> {
  made ??= (async () => {
    const ca = await createCa('Tandem SDK tests CA');
    const server = await issueCertificate(ca, { names: ['localhost'], ips: ['127.0.0.1'] });
    return { ca: ca.cert, server };
  })();
  return made;
}
