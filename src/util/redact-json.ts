/**
 * @module Secret fields blanked out of a JSON document before it is shown (the logger redacts its own
 * fields by path; this serves output such as a CMS document's value in a cmdlet's table).
 */
import { SECRET_FIELDS } from './secret-fields.js';

const SECRET_NAMES: ReadonlySet<string> = new Set(SECRET_FIELDS.map((f) => f.toLowerCase()));

export const REDACTED = '[redacted]';

/** The document with every secret field's value replaced; text that is not JSON comes back unchanged. */
export function redactJson(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(redact(value));
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_NAMES.has(k.toLowerCase()) ? REDACTED : redact(v)]),
  );
}
