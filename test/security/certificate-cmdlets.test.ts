/**
 * The certificate cmdlets at a running deployment: Get-CsCertificate shows what a TLS client sees; a request
 * file parses; a PFX opens with its password alone; an issued or imported certificate put in use by
 * Set-CsCertificate is what the next TLS connection sees, while a signed-in user stays connected, now or at the
 * date a roll names (across a restart too); RBAC, a bad thumbprint or PFX password, a foreign certificate and a
 * roll without its date are refused.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { ATL } from '../../src/devkit/topology-fixture.js';
import { TandemClient } from '../../src/client-sdk/tandem-client.js';
import { createCa, issueCertificate } from '../../src/certificates/certificate-authority.js';
import { x509 } from '../../src/certificates/x509-library.js';
import { caCertPath, caKeyPath } from '../../src/certificates/deployment-pki.js';
import { exportPfx } from '../../src/certificates/pfx-export.fixture.js';
import { findSecretsInLogs } from '../../src/devkit/secret-scan.js';
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
  Status: string;
  Thumbprint: string;
  AlternativeNames: string[];
  DaysLeft: number;
  EffectiveDate?: string;
  PreviousThumbprint?: string;
}

/** Has the deployment CA issue a certificate for Atlanta, kept ready; returns its thumbprint. */
async function issued(): Promise<string> {
  const r = await c.shell(`Request-CsCertificate -New -Type Default -DomainName ${ATL}`, { server: ATL });
  expect(r.code, r.err).toBe(0);
  return (r.json<CertRecord[]>()[0] as CertRecord).Thumbprint;
}

/** Every certificate Get-CsCertificate lists at Atlanta: the one in use, then a scheduled roll. */
async function listedCertificates(): Promise<CertRecord[]> {
  const r = await c.shell('Get-CsCertificate', { server: ATL });
  expect(r.code, r.err).toBe(0);
  return r.json<CertRecord[]>();
}

/** A local time as Lync's examples write it: 7/22/2025 1:00:00 PM (whole seconds). */
function usDate(d: Date): string {
  const h = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${h}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
  return `${d.getMonth() + 1}/${d.getDate()}/${d.getFullYear()} ${time}`;
}

/**
 * Runs `body` while `user` is signed in at Atlanta, then checks that the user was never disconnected and that
 * servers still reach each other (a cmdlet answered by Atlanta that reads Dallas's state works).
 */
async function whileSignedIn(user: string, body: () => Promise<void>): Promise<void> {
  const client = new TandemClient({
    urls: [c.clientUrl(atlServer())],
    ca: c.ca,
    user: sipOf(user),
    password: PASSWORD,
  });
  await client.connect();
  const events: string[] = [];
  client.on('disconnected', () => events.push('disconnected'));
  client.on('state', (next: string) => events.push(`state ${next}`));
  try {
    await body();
    await client.ping();
    expect([...events]).toEqual([]);
    expect((await c.shell('Get-CsPool', { server: ATL })).code).toBe(0);
  } finally {
    await client.close();
  }
}

/** Waits until a new TLS connection to Atlanta is shown `thumbprint` (generous deadline, stretched by load). */
async function presented(thumbprint: string): Promise<boolean> {
  return eventually(async () => (await thumbprintSeen()) === thumbprint, 60_000, 250);
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
    await whileSignedIn('alice', async () => {
      const before = await currentCertificate();
      const next = await issued();
      expect(next).not.toBe(before.Thumbprint);
      expect(await thumbprintSeen()).toBe(before.Thumbprint);

      const set = await c.shell(`Set-CsCertificate -Type Default -Thumbprint ${next}`, { server: ATL });
      expect(set.code, set.err).toBe(0);
      expect(await thumbprintSeen()).toBe(next);
      expect((await currentCertificate()).Thumbprint).toBe(next);
    });
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

describe('Import-CsCertificate -Path <pfx> -Password', () => {
  const password = 'Export Pass-1 (atl)';
  const wrong = 'Not-The-Export-Pass';

  /** A PFX as an administrator exports it from another machine: a certificate of the deployment CA, with its key. */
  async function pfxFile(name: string): Promise<{ file: string; thumbprint: string }> {
    const ca = {
      cert: readFileSync(caCertPath(c.dataDir), 'utf8'),
      key: readFileSync(caKeyPath(c.dataDir), 'utf8'),
    };
    // Clients in this deployment reach the server by its address, so the certificate names it too.
    const host = c.fixture.atl.address.split(':')[0] ?? '';
    const issuedHere = await issueCertificate(ca, { names: [atlServer()], ips: [host] });
    const file = join(dir, name);
    writeFileSync(file, exportPfx({ certPem: issuedHere.cert, keyPem: issuedHere.key, password }));
    return { file, thumbprint: new X509Certificate(issuedHere.cert).fingerprint.replace(/:/g, '') };
  }

  it('imports a PFX with its password, and Set-CsCertificate puts it in use', async () => {
    const { file, thumbprint } = await pfxFile('atl.pfx');
    const r = await c.shell(`Import-CsCertificate -Path ${file} -Password '${password}'`, { server: ATL });
    expect(r.code, r.err).toBe(0);
    const imported = r.json<CertRecord[]>()[0] as CertRecord;
    expect(imported.Thumbprint).toBe(thumbprint);
    expect(imported.Status).toMatch(/^Ready/);
    const set = await c.shell(`Set-CsCertificate -Type Default -Thumbprint ${thumbprint}`, { server: ATL });
    expect(set.code, set.err).toBe(0);
    expect(await thumbprintSeen()).toBe(thumbprint);
  });

  it('refuses a wrong password with CERT_PFX_PASSWORD, naming the file, and no log holds a password', async () => {
    const { file } = await pfxFile('other.pfx');
    const r = await c.shell(`Import-CsCertificate -Path ${file} -Password ${wrong}`, { server: ATL });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('CERT_PFX_PASSWORD');
    expect(r.err).toContain(file);
    expect(r.err).not.toContain(wrong);
    const logs = [...c.logOf(atlServer()), ...c.logOf(c.fixture.dal.server)];
    expect(findSecretsInLogs(logs, [password, wrong])).toEqual([]);
  });

  it('refuses a file that is no certificate with CERT_PFX_UNREADABLE', async () => {
    const file = join(dir, 'notes.pfx');
    writeFileSync(file, Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]));
    const r = await c.shell(`Import-CsCertificate -Path ${file} -Password ${wrong}`, { server: ATL });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('CERT_PFX_UNREADABLE');
    expect(r.err).toContain(file);
  });
});

describe('Set-CsCertificate -Roll -EffectiveDate', () => {
  it('refuses -Roll without -EffectiveDate, the reverse, and a date it cannot read', async () => {
    const { Thumbprint } = await currentCertificate();
    const noDate = await c.shell(`Set-CsCertificate -Type Default -Thumbprint ${Thumbprint} -Roll`, {
      server: ATL,
    });
    expect(noDate.code).not.toBe(0);
    expect(noDate.err).toContain('CERT_ROLL_INCOMPLETE');
    expect(noDate.err).toContain('-EffectiveDate');
    const noRoll = await c.shell(
      `Set-CsCertificate -Type Default -Thumbprint ${Thumbprint} -EffectiveDate 2030-01-01`,
      { server: ATL },
    );
    expect(noRoll.code).not.toBe(0);
    expect(noRoll.err).toContain('CERT_ROLL_INCOMPLETE');
    const bad = await c.shell(
      `Set-CsCertificate -Type Default -Thumbprint ${Thumbprint} -Roll -EffectiveDate "22.07.2030 13:00"`,
      { server: ATL },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('SHELL_BAD_VALUE');
    expect(bad.err).toContain('22.07.2030 13:00');
    expect(bad.err).toContain('7/22/2025 1:00:00 PM');
    expect((await listedCertificates()).map((r) => r.Thumbprint)).toEqual([Thumbprint]);
  });

  it('shows a scheduled roll, replaces it with the next one, and switches at its date with users connected', async () => {
    await whileSignedIn('carol', async () => {
      const before = await currentCertificate();
      const [later, soon] = [await issued(), await issued()];

      // A month ahead, in the US form of Lync's examples (the shell's local time).
      const at = new Date(Date.now() + 30 * 86_400_000);
      at.setMilliseconds(0);
      const scheduled = await c.shell(
        `Set-CsCertificate -Type Default -Thumbprint ${later} -Roll -EffectiveDate "${usDate(at)}"`,
        { server: ATL },
      );
      expect(scheduled.code, scheduled.err).toBe(0);
      expect(scheduled.json<CertRecord[]>()[0]?.Status).toMatch(/^Scheduled/);
      const listed = await listedCertificates();
      expect(listed.map((r) => [r.Status, r.Thumbprint])).toEqual([
        ['In use', before.Thumbprint],
        [expect.stringMatching(/^Scheduled/), later],
      ]);
      expect(listed[1]?.EffectiveDate).toBe(at.toISOString());
      expect(listed[1]?.PreviousThumbprint).toBe(before.Thumbprint);
      expect(await thumbprintSeen()).toBe(before.Thumbprint);

      // A roll a few seconds ahead replaces it; the server switches when its date comes.
      const soonAt = new Date(Date.now() + 5_000).toISOString();
      const replaced = await c.shell(
        `Set-CsCertificate -Type Default -Thumbprint ${soon} -Roll -EffectiveDate ${soonAt}`,
        { server: ATL },
      );
      expect(replaced.code, replaced.err).toBe(0);
      expect(await presented(soon)).toBe(true);
      expect((await listedCertificates()).map((r) => [r.Status, r.Thumbprint])).toEqual([['In use', soon]]);
      expect(await c.waitForLine(atlServer(), `the certificate ${soon} took effect as scheduled`)).toBe(true);
    });
  });

  it('takes effect at once when its date has passed', async () => {
    const next = await issued();
    const r = await c.shell(
      `Set-CsCertificate -Type Default -Thumbprint ${next} -Roll -EffectiveDate "1/1/2020 9:00:00 AM"`,
      { server: ATL },
    );
    expect(r.code, r.err).toBe(0);
    expect(r.json<CertRecord[]>()[0]?.Status).toBe('In use');
    expect(await thumbprintSeen()).toBe(next);
  });

  it('is honoured by a server restarted before its date', async () => {
    const next = await issued();
    const at = new Date(Date.now() + 8_000).toISOString();
    const r = await c.shell(
      `Set-CsCertificate -Type Default -Thumbprint ${next} -Roll -EffectiveDate ${at}`,
      {
        server: ATL,
      },
    );
    expect(r.code, r.err).toBe(0);
    await c.kill(atlServer(), 'SIGTERM');
    await c.startServer(atlServer());
    // Whether the restarted server's timer or its start made the switch, new connections are shown it.
    expect(await presented(next)).toBe(true);
    expect((await listedCertificates()).map((x) => x.Thumbprint)).toEqual([next]);
  });
});
