/**
 * @module Secret fields blanked out of a JSON document before it is shown (the logger redacts its own
 * fields by path; this serves output such as a CMS document's value in a cmdlet's table).
 */
import { REDACTED, isSecretField, redactUrlPassword } from './secret-fields.js';
import { redactYaml } from './redact-yaml.js';

export { REDACTED };

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

function redact(value: unknown, key = ''): unknown {
  // The topology document carries its YAML text in a `yaml` field: it is redacted as YAML.
  if (typeof value === 'string') return key === 'yaml' ? redactYaml(value) : redactUrlPassword(value);
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isSecretField(k) ? REDACTED : redact(v, k)]),
  );
}
