/**
 * @module Meeting times as typed (an ISO date-time, local when it has no offset, or `+30m`, `+2h`, `+1d`)
 * and as shown.
 */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The time as an ISO string in UTC, or undefined when the text is neither form. */
export function parseMeetingTime(text: string, now: number): string | undefined {
  const relative = /^\+(\d+)([mhd])$/i.exec(text.trim());
  if (relative !== null) {
    const unit = (relative[2] ?? 'm').toLowerCase() as keyof typeof UNIT_MS;
    return new Date(now + Number(relative[1]) * UNIT_MS[unit]).toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text.trim()))
    return undefined;
  const at = new Date(text.trim());
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** A meeting's time span for people: `2026-12-01 15:00–16:00 UTC`, the end dated only when on another day. */
export function formatSpan(start: string, end: string): string {
  const [s, e] = [new Date(start), new Date(end)];
  if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) return `${start} → ${end}`;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const time = (d: Date) => d.toISOString().slice(11, 16);
  const endText = day(s) === day(e) ? time(e) : `${day(e)} ${time(e)}`;
  return `${day(s)} ${time(s)}–${endText} UTC`;
}
