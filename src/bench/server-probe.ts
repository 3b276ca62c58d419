/** @module Reads a server's own figures from its /metrics endpoint (memory, endpoints). */
import https from 'node:https';
import { splitAddress } from '../s2s/peer-client.js';

/** `ca`: the deployment CA the server's certificate chains to. */
export async function scrape(address: string, ca: string): Promise<Map<string, number>> {
  const [host, port] = splitAddress(address);
  const text = await new Promise<string>((resolve, reject) => {
    https
      .get({ host, port: Number(port), path: '/metrics', ca }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+([-+\d.eE]+|NaN)$/.exec(line);
    if (m?.[1] && m[3] && !out.has(m[1] + (m[2] ?? ''))) out.set(m[1] + (m[2] ?? ''), Number(m[3]));
  }
  return out;
}

/** The first sample of a metric whatever its labels. */
export function metric(values: Map<string, number>, name: string): number {
  for (const [k, v] of values) if (k === name || k.startsWith(`${name}{`)) return v;
  return Number.NaN;
}

/** The sample of a metric whose labels include `label` (such as `resumed="true"`); 0 when there is none yet. */
export function metricWith(values: Map<string, number>, name: string, label: string): number {
  for (const [k, v] of values) if (k.startsWith(`${name}{`) && k.includes(label)) return v;
  return 0;
}

/** Full and resumed TLS handshakes a server completed between two scrapes. */
export function handshakesBetween(
  before: Map<string, number>,
  after: Map<string, number>,
): { full: number; resumed: number } {
  const count = (values: Map<string, number>, resumed: boolean) =>
    metricWith(values, 'tandem_tls_handshakes_total', `resumed="${resumed}"`);
  return {
    full: count(after, false) - count(before, false),
    resumed: count(after, true) - count(before, true),
  };
}
