/**
 * @module TimeSpan values as Lync administrators write them: `00:02:00`, `1.02:00:00`, `00:00:05.5`,
 * or plain seconds (`120`, `0.5`). Results are milliseconds.
 */

const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;
const SECONDS = /^\d+(?:\.\d+)?$/;

/** Parses a TimeSpan or a number of seconds; returns milliseconds, or undefined when the text is neither. */
export function parseTimeSpan(text: string): number | undefined {
  const value = text.trim();
  if (SECONDS.test(value)) return Math.round(Number(value) * 1000);
  const m = TIMESPAN.exec(value);
  if (!m) return undefined;
  const days = Number(m[1] ?? 0);
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  const seconds = Number(m[4] ?? 0);
  const fraction = m[5] ? Number(`0.${m[5]}`) : 0;
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return Math.round((((days * 24 + hours) * 60 + minutes) * 60 + seconds + fraction) * 1000);
}

/** Formats milliseconds as PowerShell prints a TimeSpan: `[d.]hh:mm:ss[.fff]`. */
export function formatTimeSpan(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  const millis = rest % 1000;
  rest = Math.floor(rest / 1000);
  const seconds = rest % 60;
  rest = Math.floor(rest / 60);
  const minutes = rest % 60;
  rest = Math.floor(rest / 60);
  const hours = rest % 24;
  const days = Math.floor(rest / 24);
  const pad = (n: number) => String(n).padStart(2, '0');
  const base = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  return `${sign}${days > 0 ? `${days}.` : ''}${base}${millis > 0 ? `.${String(millis).padStart(3, '0')}` : ''}`;
}
