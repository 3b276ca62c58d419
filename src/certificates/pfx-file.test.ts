import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from './certificate-authority.js';
import { expectCertError, SERVER, tempDataDir } from './certificate-test-kit.fixture.js';
import { caCertPath, caKeyPath, ensureDeploymentCa, ensureServerCertificate } from './deployment-pki.js';
import { exportPfx, issueRsaWithOpenssl } from './pfx-export.fixture.js';
import { readPfx } from './pfx-file.js';
import { ServerCertificates } from './server-certificates.js';

const PASSWORD = 'Export "Pass" 1';

async function deployment() {
  const dataDir = tempDataDir();
  await ensureDeploymentCa(dataDir, 'Litware');
  const ca = {
    cert: readFileSync(caCertPath(dataDir), 'utf8'),
    key: readFileSync(caKeyPath(dataDir), 'utf8'),
  };
  const certs = new ServerCertificates(dataDir, SERVER, await ensureServerCertificate(dataDir, SERVER));
  const issued = await issueCertificate(ca, { names: [SERVER.fqdn, SERVER.poolFqdn] });
  return { ca, certs, issued };
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint;

describe('readPfx', () => {
  it("opens OpenSSL 3's default PFX of an ECDSA P-256 certificate, the same certificate and key", async () => {
    const { issued } = await deployment();
    const pfx = exportPfx({ certPem: issued.cert, keyPem: issued.key, password: PASSWORD });
    const read = readPfx(pfx, PASSWORD, 'atl.pfx');
    expect(fingerprint(read.certPem)).toBe(fingerprint(issued.cert));
    expect(read.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(new X509Certificate(read.certPem).checkPrivateKey(createPrivateKey(read.keyPem))).toBe(true);
  });

  it('opens a legacy (RC2/3DES, SHA-1 MAC) export, and takes the leaf from a file that carries its chain', async () => {
    const { issued, ca } = await deployment();
    const legacy = exportPfx({ certPem: issued.cert, keyPem: issued.key, password: PASSWORD, legacy: true });
    expect(fingerprint(readPfx(legacy, PASSWORD, 'old.pfx').certPem)).toBe(fingerprint(issued.cert));
    const chained = exportPfx({
      certPem: issued.cert,
      keyPem: issued.key,
      password: PASSWORD,
      chainPem: ca.cert,
    });
    expect(fingerprint(readPfx(chained, PASSWORD, 'chain.pfx').certPem)).toBe(fingerprint(issued.cert));
  });

  it('opens an RSA certificate byte for byte (its thumbprint unchanged)', async () => {
    const { ca } = await deployment();
    const rsa = issueRsaWithOpenssl(ca, [SERVER.fqdn]);
    const pfx = exportPfx({ certPem: rsa.certPem, keyPem: rsa.keyPem, password: PASSWORD });
    expect(fingerprint(readPfx(pfx, PASSWORD, 'rsa.pfx').certPem)).toBe(fingerprint(rsa.certPem));
  });

  it('refuses a wrong password with CERT_PFX_PASSWORD, naming the file and never the password', async () => {
    const { issued } = await deployment();
    const pfx = exportPfx({ certPem: issued.cert, keyPem: issued.key, password: PASSWORD });
    const err = await expectCertError(
      () => readPfx(pfx, 'Not-The-Password', 'atl.pfx'),
      'CERT_PFX_PASSWORD',
      [issued.key],
    );
    expect(err.message).toContain('atl.pfx');
    expect(err.message).toContain('-Password');
    expect(err.message).not.toContain('Not-The-Password');
    await expectCertError(() => readPfx(pfx, '', 'atl.pfx'), 'CERT_PFX_PASSWORD', []);
  });

  it('says so when a password beyond ASCII opens a legacy export but cannot decrypt an AES one', async () => {
    const { issued } = await deployment();
    const password = 'Exportü-Pass-1';
    const legacy = exportPfx({ certPem: issued.cert, keyPem: issued.key, password, legacy: true });
    expect(fingerprint(readPfx(legacy, password, 'old.pfx').certPem)).toBe(fingerprint(issued.cert));
    const aes = exportPfx({ certPem: issued.cert, keyPem: issued.key, password });
    const err = await expectCertError(() => readPfx(aes, password, 'aes.pfx'), 'CERT_PFX_UNREADABLE', []);
    expect(err.message).toContain('ASCII');
    expect(err.message).not.toContain(password);
  });

  it('refuses what is no PFX, a damaged one, and one without a key, saying what is wrong', async () => {
    const { issued } = await deployment();
    const pfx = exportPfx({ certPem: issued.cert, keyPem: issued.key, password: PASSWORD });
    const notPfx = await expectCertError(
      () => readPfx(Buffer.from('not a certificate at all'), PASSWORD, 'x.pfx'),
      'CERT_PFX_UNREADABLE',
      [],
    );
    expect(notPfx.message).toContain('neither a PEM file nor a PKCS#12');
    await expectCertError(
      () => readPfx(pfx.subarray(0, pfx.length - 40), PASSWORD, 'cut.pfx'),
      'CERT_PFX_UNREADABLE',
      [issued.key],
    );
    const flipped = Buffer.from(pfx);
    const middle = Math.floor(pfx.length / 2);
    flipped[middle] = (pfx[middle] ?? 0) ^ 0xff;
    // The MAC covers the contents: a changed byte reads as a wrong password or an altered file.
    const damaged = await expectCertError(() => readPfx(flipped, PASSWORD, 'bad.pfx'), 'CERT_PFX_PASSWORD', [
      issued.key,
    ]);
    expect(damaged.message).toContain('bad.pfx');
    const noKey = exportPfx({ certPem: issued.cert, password: PASSWORD });
    const err = await expectCertError(() => readPfx(noKey, PASSWORD, 'nokey.pfx'), 'CERT_PFX_UNREADABLE', []);
    expect(err.message).toContain('no private key');
  });
});

describe('ServerCertificates.importPfx', () => {
  it('checks the certificate as a PEM import does, keeps it ready, and Set-CsCertificate uses it', async () => {
    const { certs, issued } = await deployment();
    const pfx = exportPfx({ certPem: issued.cert, keyPem: issued.key, password: PASSWORD });
    const info = certs.importPfx(pfx, PASSWORD, 'atl.pfx');
    certs.use(info.Thumbprint);
    expect(certs.current().thumbprint).toBe(info.Thumbprint);
  });

  it('refuses a PFX from another CA with CERT_NOT_TRUSTED', async () => {
    const { certs } = await deployment();
    const other = await deployment();
    const pfx = exportPfx({ certPem: other.issued.cert, keyPem: other.issued.key, password: PASSWORD });
    await expectCertError(() => certs.importPfx(pfx, PASSWORD, 'other.pfx'), 'CERT_NOT_TRUSTED', [
      other.issued.key,
    ]);
  });
});
