/**
 * @module Finds secrets in log lines and in captured bytes, for the security tests and the drill: every secret a
 * deployment holds (the demo password, administrator secrets, the deployment key and the keys derived from it)
 * plus the ones a session saw (passwords it typed, tokens it was given, secrets New-CsAdminCredential showed),
 * in the forms a careless log would carry them, and anything shaped like a sign-in token, a password hash or a
 * bearer credential even when nobody listed it.
 *
 *     const secrets = deploymentSecrets(cluster, [newPassword, token, adminSecret]);
 *     expect(findSecretsInLogs([...cluster.logs.values()].flat(), secrets)).toEqual([]);
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { adminCredentialPath, readAdminCredentialFile } from '../security/admin-credential.js';
import {
  deploymentKeyPath,
  deriveKey,
  KeyPurpose,
  loadDeploymentKey,
} from '../security/deployment-secrets.js';
import { readTopologyFile } from '../topology/index.js';

/** Shorter strings would match by chance: the scan refuses them rather than pass or fail at random. */
export const MIN_SECRET_LENGTH = 8;

/** Shapes that are secrets whoever holds them. */
const SHAPES: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'a sign-in token', pattern: /v1\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{43}/ },
  { what: 'a password hash', pattern: /scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{8,}\$[A-Za-z0-9_-]{16,}/ },
  { what: 'a bearer credential', pattern: /Bearer [^\s:"]+:[A-Za-z0-9_-]{16,}/ },
];

interface Needle {
  readonly text: string;
  readonly label: string;
}

/**
 * Returns one finding per line that holds a secret (as given, JSON-escaped, URL-encoded, base64, or its
 * SHA-256; a token's signature alone) or something shaped like one. A finding names the line number, which
 * secret (by its index in `secrets`) and the line with the secret masked: it never repeats the secret.
 * An empty result means clean. Throws when a secret is shorter than MIN_SECRET_LENGTH.
 */
export function findSecretsInLogs(lines: readonly string[], secrets: readonly string[]): string[] {
  const needles = secrets.flatMap((s, i) => variants(s, i));
  const findings: string[] = [];
  lines.forEach((line, n) => {
    const hits = needles.filter((x) => line.includes(x.text));
    const shapes = SHAPES.filter((s) => s.pattern.test(line));
    if (hits.length === 0 && shapes.length === 0) return;
    let masked = line;
    for (const h of hits) masked = masked.split(h.text).join(`[${h.label}]`);
    for (const s of shapes) masked = masked.replace(new RegExp(s.pattern, 'g'), `[${s.what}]`);
    const what = [...new Set([...hits.map((h) => h.label), ...shapes.map((s) => s.what)])].join(', ');
    findings.push(`line ${n + 1}: ${what}: ${excerpt(masked)}`);
  });
  return findings;
}

/**
 * Returns one finding per form of a secret (those findSecretsInLogs looks for, as UTF-8) and per secret shape
 * found in `bytes`, such as a capture of traffic: the byte offset and which secret, never the secret. An empty
 * result means clean. Throws when a secret is shorter than MIN_SECRET_LENGTH.
 */
export function findSecretsInBytes(bytes: Buffer, secrets: readonly string[]): string[] {
  const findings = secrets
    .flatMap((s, i) => variants(s, i))
    .flatMap((x) => {
      const at = bytes.indexOf(x.text, 0, 'utf8');
      return at < 0 ? [] : [`byte ${at}: ${x.label}`];
    });
  // Latin-1 maps each byte to one character, so a match's index is its byte offset.
  const text = bytes.toString('latin1');
  for (const s of SHAPES) {
    const at = text.search(s.pattern);
    if (at >= 0) findings.push(`byte ${at}: ${s.what}`);
  }
  return findings;
}

/**
 * The secrets a deployment keeps on disk — the demo password of its topology, the first administrator's
 * secret, the deployment key and the server-to-server and sign-in token keys derived from it — followed by
 * `extra` (whatever the session typed or was given).
 */
export function deploymentSecrets(
  deployment: { readonly dataDir: string; readonly topologyPath: string },
  extra: readonly string[] = [],
): string[] {
  const { dataDir, topologyPath } = deployment;
  const out: string[] = [];
  const demo = readTopologyFile(topologyPath, { dataDir }).demo;
  if (demo) out.push(demo.password);
  if (existsSync(adminCredentialPath(dataDir)))
    out.push(readAdminCredentialFile(adminCredentialPath(dataDir)).secret);
  if (existsSync(deploymentKeyPath(dataDir))) {
    const key = loadDeploymentKey(dataDir);
    for (const k of [key, ...Object.values(KeyPurpose).map((p) => deriveKey(key, p))])
      out.push(k.toString('hex'), k.toString('base64'), k.toString('base64url'));
  }
  return [...new Set([...out, ...extra])];
}

function variants(secret: string, index: number): Needle[] {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `secret #${index} has ${secret.length} characters; the scan needs at least ${MIN_SECRET_LENGTH}`,
    );
  }
  const label = `secret #${index}`;
  const forms: Needle[] = [
    { text: secret, label },
    { text: JSON.stringify(secret).slice(1, -1), label },
    { text: encodeURIComponent(secret), label },
    { text: Buffer.from(secret).toString('base64').replace(/=+$/, ''), label: `${label} in base64` },
    { text: createHash('sha256').update(secret).digest('hex'), label: `SHA-256 of ${label}` },
  ];
  const signature = /^v1\.[^.]+\.([^.]{16,})$/.exec(secret)?.[1];
  if (signature) forms.push({ text: signature, label: `signature of ${label}` });
  const seen = new Set<string>();
  return forms.filter((f) => !seen.has(f.text) && seen.add(f.text));
}

function excerpt(line: string): string {
  return line.length <= 300 ? line : `${line.slice(0, 300)}…`;
}
