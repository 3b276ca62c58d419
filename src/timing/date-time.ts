/**
 * @module DateTime values as Lync administrators write them: ISO 8601 (`2025-07-22T13:00:00Z`,
 * `2025-07-22 13:00`, `2025-07-22`) or the US form PowerShell reads in en-US (`7/22/2025 1:00:00 PM`,
 * `7/22/2025 13:00`, `7/22/2025`). A value without a zone is local time, as PowerShell reads it.
 */

/** What an administrator is told to write when a value is neither form. */
export const DATE_TIME_FORMATS =
  'an ISO 8601 date and time such as 2025-07-22T13:00:00Z (or 2025-07-22 13:00, local time) or a US date such as "7/22/2025 1:00:00 PM"';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AP]M))?)?$/i;

interface Parts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly ms: number;
  /** Minutes east of UTC, or undefined for local time. */
  readonly offset: number | undefined;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toDate(p: Parts): Date | undefined {
  const valid =
    p.year >= 1 &&
    p.month >= 1 &&
    p.month <= 12 &&
    p.day >= 1 &&
    p.day <= daysIn(p.year, p.month) &&
    p.hour <= 23 &&
    p.minute <= 59 &&
    p.second <= 59;
  if (!valid) return undefined;
  if (p.offset === undefined) {
    const local = new Date(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms);
    // new Date(y, …) maps years 0–99 to 1900–1999.
    local.setFullYear(p.year, p.month - 1, p.day);
    return local;
  }
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms);
  return new Date(utc - p.offset * 60_000);
}

function offsetMinutes(zone: string | undefined): number | undefined | null {
  if (zone === undefined) return undefined;
  if (zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function parseIso(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === null) return undefined;
  return toDate({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000),
    offset,
  });
}

function parseUs(text: string): Date | undefined {
  const m = US.exec(text);
  if (!m) return undefined;
  let hour = Number(m[4] ?? 0);
  const meridiem = m[7]?.toUpperCase();
  if (meridiem !== undefined) {
    // 12:30 AM is half past midnight, 12:30 PM half past noon; 13:00 PM is no time.
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0);
  }
  return toDate({
    year: Number(m[3]),
    month: Number(m[1]),
    day: Number(m[2]),
    hour,
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: 0,
    offset: undefined,
  });
}

/** Parses an ISO 8601 or US date and time; undefined when the text is neither, or names no real date. */
export function parseDateTime(text: string): Date | undefined {
  const value = text.trim();
  return parseIso(value) ?? parseUs(value);
}
