/**
 * @module What a fuzz run checks on the server around it: that it still answers, how much memory it holds,
 * how many client connections it keeps, and whether its log shows a crash or an internal error.
 */
import { httpRequest, type ClientTls } from './http-request.js';

export interface ServerVitals {
  readonly healthy: boolean;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly clientConnections: number;
  /** Series in /metrics: a label fed from requests (a path, a cmdlet name) would make it grow without bound. */
  readonly metricSeries: number;
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

/** /healthz and a few gauges of /metrics. */
export async function serverVitals(address: string, identity: ClientTls): Promise<ServerVitals> {
  const health = await httpRequest(address, identity, { method: 'GET', path: '/healthz' });
  const metrics = await httpRequest(address, identity, { method: 'GET', path: '/metrics' });
  const text = metrics.body.toString('utf8');
  return {
    healthy: health.status === 200,
    rssBytes: metric(text, 'tandem_process_resident_memory_bytes'),
    heapUsedBytes: metric(text, 'tandem_nodejs_heap_size_used_bytes'),
    clientConnections: metric(text, 'tandem_client_connections'),
    metricSeries: text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length,
  };
}

/** Log lines that show a crash or an internal error (a server normally logs neither). */
export function serverLogProblems(lines: readonly string[]): string[] {
  return lines.filter((l) =>
    /uncaught exception|unhandled rejection|Internal error|"INTERNAL"|"level":60/.test(l),
  );
}

/** The values one label of one metric takes in /metrics. */
export async function metricLabelValues(
  address: string,
  identity: ClientTls,
  metricName: string,
  label: string,
): Promise<Set<string>> {
  const text = (await httpRequest(address, identity, { method: 'GET', path: '/metrics' })).body.toString(
    'utf8',
  );
  const values = new Set<string>();
  const pattern = new RegExp(`[{,]${label}="([^"]*)"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metricName}{`)) continue;
    const m = pattern.exec(line);
    if (m?.[1] !== undefined) values.add(m[1]);
  }
  return values;
}
