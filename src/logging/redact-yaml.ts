/**
 * @module Secrets blanked out of a YAML document before it is shown (a published topology: its demo
 * password, the password in a PostgreSQL connection string), with its comments and layout kept.
 */
import { isScalar, parseDocument, visit } from 'yaml';
import { REDACTED, isSecretField, redactUrlPassword } from './secret-fields.js';

/** The document with every secret field's value replaced; a document that does not parse is withheld. */
export function redactYaml(text: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return `# ${REDACTED}: the document does not parse\n`;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && isSecretField(String(pair.key.value))) pair.value = doc.createNode(REDACTED);
    },
    Scalar(_, node) {
      if (typeof node.value === 'string') node.value = redactUrlPassword(node.value);
    },
  });
  return doc.toString();
}
