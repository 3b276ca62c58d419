import { createPublicKey } from 'node:crypto';
import { FriendlyName, id_pkcs9_at_friendlyName } from '@peculiar/asn1-pkcs9';
import { AsnConvert } from '@peculiar/asn1-schema';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from './certificate-authority.js';
import { checkImportedCertificate, createCertificateRequest } from './certificate-request.js';
import { expectCertError } from './certificate-test-kit.fixture.js';
import { x509 } from './x509-library.js';

const DAY_MS = 86_400_000;
const TOPOLOGY = ['atl-fe01.litwareinc.com', 'atl-pool.litwareinc.com', 'dal-pool.litwareinc.com'];
const FQDN = 'atl-fe01.litwareinc.com';
const FILE = '/imports/atl-fe01.pem';

describe('a certificate request for an external CA', () => {
  it('is a signed PKCS#10 request for the names, the first as subject, with its new key', async () => {
    const { csrPem, keyPem } = await createCertificateRequest({
      domainNames: ['ATL-FE01.litwareinc.com', 'atl-pool.litwareinc.com'],
      friendlyName: 'Tandem Atlanta pool',
      allowedNames: TOPOLOGY,
    });
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    expect(await csr.verify()).toBe(true);
    expect(csr.subject).toBe('CN=atl-fe01.litwareinc.com');
    const san = csr.extensions.find((e) => e instanceof x509.SubjectAlternativeNameExtension);
    expect(san?.names.items.map((n) => `${n.type}:${n.value}`)).toEqual([
      'dns:atl-fe01.litwareinc.com',
      'dns:atl-pool.litwareinc.com',
    ]);
    const eku = csr.extensions.find((e) => e instanceof x509.ExtendedKeyUsageExtension);
    expect(eku?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]);
    const friendly = csr.getAttribute(id_pkcs9_at_friendlyName);
    expect(AsnConvert.parse(friendly!.values[0]!, FriendlyName).value).toBe('Tandem Atlanta pool');
    // The key returned is the one the request was signed with.
    const requestKey = Buffer.from(csr.publicKey.rawData);
    const ownKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
    expect(requestKey.equals(ownKey)).toBe(true);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('is refused for a name outside the topology, naming it', async () => {
    const err = await expectCertError(
      () => createCertificateRequest({ domainNames: [FQDN, 'www.contoso.com'], allowedNames: TOPOLOGY }),
      'CERT_NAME_OUTSIDE_TOPOLOGY',
      [],
    );
    expect(err.message).toMatch(/^No certificate is requested for www\.contoso\.com: /);
    await expect(createCertificateRequest({ domainNames: [], allowedNames: TOPOLOGY })).rejects.toMatchObject(
      {
        code: 'INVALID_ARGUMENT',
      },
    );
  });
});

describe('an imported certificate', () => {
  it('is described when it passes every check', async () => {
    const ca = await createCa('Litware Issuing CA');
    const pair = await issueCertificate(ca, { names: [FQDN, 'atl-pool.litwareinc.com'] });
    const info = checkImportedCertificate({
      certPem: pair.cert,
      keyPem: pair.key,
      caPem: ca.cert,
      fqdn: 'ATL-FE01.litwareinc.com',
      file: FILE,
    });
    expect(info.Issuer).toBe('CN=Litware Issuing CA');
    expect(info.AlternativeNames).toEqual([FQDN, 'atl-pool.litwareinc.com']);
  });

  it('is refused with the code of what is wrong, naming the file, never quoting a key', async () => {
    const ca = await createCa('Litware Issuing CA');
    const otherCa = await createCa('Contoso CA');
    const pair = await issueCertificate(ca, { names: [FQDN] });
    const keys = [ca.key, otherCa.key, pair.key];
    const base = { certPem: pair.cert, keyPem: pair.key, caPem: ca.cert, fqdn: FQDN, file: FILE };
    const notAfter = new x509.X509Certificate(pair.cert).notAfter.getTime();
    const cases = [
      ['CERT_UNREADABLE', { certPem: 'not a certificate' }],
      [
        'CERT_UNREADABLE',
        { keyPem: `-----BEGIN PRIVATE KEY-----\n${pair.key.split('\n')[1]!}\n-----END PRIVATE KEY-----\n` },
      ],
      ['CERT_KEY_MISMATCH', { keyPem: ca.key }],
      ['CERT_NOT_TRUSTED', { caPem: otherCa.cert }],
      ['CERT_CA_UNREADABLE', { caPem: pair.cert }],
      ['CERT_EXPIRED', { now: new Date(notAfter + DAY_MS) }],
      ['CERT_NOT_YET_VALID', { now: new Date(Date.now() - 2 * DAY_MS) }],
      ['CERT_NAME_MISMATCH', { fqdn: 'dal-fe01.litwareinc.com' }],
    ] as const;
    for (const [code, change] of cases) {
      const err = await expectCertError(() => checkImportedCertificate({ ...base, ...change }), code, keys);
      if (code !== 'CERT_CA_UNREADABLE') expect(err.message).toContain(FILE);
    }
  });
});
