/**
 * The certificate cmdlets at a running deployment: Get-CsCertificate shows what a TLS client sees; a request
 * file parses; an issued certificate put in use by Set-CsCertificate is what the next TLS connection sees,
 * while a signed-in user stays connected; RBAC, a bad thumbprint and a foreign certificate are refused.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { ATL } from '../../src/devkit/topology-fixture.js';
import { TandemClient } from '../../src/client-sdk/tandem-client.js';
import { createCa, issueCertificate } from '../../src/certificates/certificate-authority.js';
import { x509 } from '../../src/certificates/x509-library.js';
import { PASSWORD, sipOf } from './security-kit.js';

let c: Cluster;
let dir: string;
let viewer: string;

beforeAll(async () => {
  c = await Cluster.start({ users: 4 });
  dir = mkdtempSync(join(tmpdir(), 'tandem-cert-cmdlets-'));
  const r = await c.shell('New-CsAdminCredential -Identity helpdesk -Role CsViewOnlyAdministrator');
  viewer = String(r.json<{ Credential: string }[]>()[0]?.Credential);
});
afterAll(async () => {
  await c.stop();
  rmSync(dir, { recursive: true, force: true });
});

const atlServer = () => c.fixture.atl.server;

/** The thumbprint, as Windows writes it, of the certificate a new TLS connection to Atlanta is shown. */
function thumbprintSeen(): Promise<string> {
  const [host, port] = c.fixture.atl.address.split(':');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port: Number(port), ca: c.ca, servername: atlServer() }, () => {
      const seen = socket.getPeerCertificate().fingerprint.replace(/:/g, '');
      socket.end();
      resolve(seen);
    });
    socket.on('error', reject);
  });
}

interface CertRecord {
  Server: string;
  Type: string;
  Thumbprint: string;
  AlternativeNames: string[];
  DaysLeft: number;
}

async function currentCertificate(): Promise<CertRecord> {
  const records = (await c.shell('Get-CsCertificate', { server: ATL })).json<CertRecord[]>();
  expect(records).toHaveLength(1);
  return records[0] as CertRecord;
}

describe('Get-CsCertificate', () => {
  it('shows the certificate TLS clients see, to a view-only administrator too', async () => {
    const shown = await currentCertificate();
    expect(shown.Server).toBe(atlServer());
    expect(shown.Type).toBe('Default');
    expect(shown.Thumbprint).toBe(await thumbprintSeen());
    const r = await c.shell('Get-CsCertificate -Type WebServicesExternal', {
      credential: viewer,
      server: ATL,
    });
    expect(r.json<CertRecord[]>()[0]?.Thumbprint).toBe(shown.Thumbprint);
  });
});

describe('Request-CsCertificate -Output', () => {
  it('writes a PKCS#10 request for the names asked, and no key', async () => {
    const out = join(dir, 'atl.csr');
    const r = await c.shell(
      `Request-CsCertificate -New -Type Default -FriendlyName atl -DomainName ${atlServer()},${ATL} -Output ${out}`,
      { server: ATL },
    );
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('PRIVATE KEY');
    const csr = new x509.Pkcs10CertificateRequest(text);
    const san = csr.extensions.find((e) => e instanceof x509.SubjectAlternativeNameExtension);
    expect(san?.names.items.map((n) => n.value)).toEqual([...new Set([atlServer(), ATL])]);
    expect(await csr.verify()).toBe(true);
  });

  it('refuses a name outside the topology', async () => {
    const r = await c.shell(
      `Request-CsCertificate -New -Type Default -DomainName www.example.com -Output ${join(dir, 'x.csr')}`,
      { server: ATL },
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('CERT_NAME_OUTSIDE_TOPOLOGY');
  });
});

describe('Set-CsCertificate', () => {
  it('switches new connections to an issued certificate while a signed-in user stays connected', async () => {
    const client = new TandemClient({
      urls: [c.clientUrl(atlServer())],
      ca: c.ca,
      user: sipOf('alice'),
      password: PASSWORD,
    });
    await client.connect();
    const events: string[] = [];
    client.on('disconnected', () => events.push('disconnected'));
    client.on('state', (next: string) => events.push(`state ${next}`));
    try {
      const before = await currentCertificate();
      const issued = (
        await c.shell(`Request-CsCertificate -New -Type Default -DomainName ${ATL}`, { server: ATL })
      ).json<CertRecord[]>()[0] as CertRecord;
      expect(issued.Thumbprint).not.toBe(before.Thumbprint);
      expect(await thumbprintSeen()).toBe(before.Thumbprint);

      const set = await c.shell(`Set-CsCertificate -Type Default -Thumbprint ${issued.Thumbprint}`, {
        server: ATL,
      });
      expect(set.code, set.err).toBe(0);
      expect(await thumbprintSeen()).toBe(issued.Thumbprint);
      expect((await currentCertificate()).Thumbprint).toBe(issued.Thumbprint);

      await client.ping();
      expect([...events]).toEqual([]);
      // Servers still reach each other: a cmdlet answered by Atlanta that reads Dallas's state works.
      expect((await c.shell('Get-CsPool', { server: ATL })).code).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('is refused to a view-only administrator', async () => {
    const { Thumbprint } = await currentCertificate();
    const r = await c.shell(`Set-CsCertificate -Type Default -Thumbprint ${Thumbprint}`, {
      credential: viewer,
      server: ATL,
    });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('CsViewOnlyAdministrator');
  });

  it('names an unknown thumbprint and points to Get-CsCertificate', async () => {
    const r = await c.shell(`Set-CsCertificate -Type Default -Thumbprint ${'AB'.repeat(20)}`, {
      server: ATL,
    });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('CERT_UNKNOWN_THUMBPRINT');
    expect(r.err).toContain('AB'.repeat(20));
    expect(r.err).toContain('Get-CsCertificate');
  });
});

describe('Import-CsCertificate', () => {
  it('refuses a certificate from another CA with CERT_NOT_TRUSTED, without echoing its key', async () => {
    const other = await createCa('Tandem deployment CA (Litware)');
    const foreign = await issueCertificate(other, { names: [atlServer()] });
    const certFile = join(dir, 'foreign.crt');
    const keyFile = join(dir, 'foreign.key');
    writeFileSync(certFile, foreign.cert);
    writeFileSync(keyFile, foreign.key);
    const r = await c.shell(`Import-CsCertificate -Path ${certFile} -PrivateKeyPath ${keyFile}`, {
      server: ATL,
    });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('CERT_NOT_TRUSTED');
    const keyLine = foreign.key.split('\n')[1] ?? '';
    expect(r.err).not.toContain(keyLine);
  });
});
