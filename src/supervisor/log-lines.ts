/** @module Turns a server's JSON log lines into short readable lines for the supervisor's terminal. */

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'server', 'msg']);

export function humanLogLine(prefix: string, line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${prefix} ${line}`;
  }
  if (typeof rec !== 'object' || rec === null) return `${prefix} ${line}`;
  const time = typeof rec.time === 'string' ? rec.time.slice(11, 19) : '';
  const level = LEVELS[Number(rec.level)] ?? JSON.stringify(rec.level ?? '');
  const extras = Object.entries(rec)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${prefix} ${time} ${level.padEnd(5)} ${typeof rec.msg === 'string' ? rec.msg : ''}${extras ? ` ${extras}` : ''}`;
}

export function shortName(fqdn: string): string {
  return fqdn.split('.')[0] ?? fqdn;
}
