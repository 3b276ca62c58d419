/**
 * @module A schema written as a short type for docs/protocol.md (`{ sip: string, at: number }`), read from the
 * same zod schema the SDK parses answers with, so that the documented shape is the checked one.
 */
import type { z } from 'zod';

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Record<string, string>;
  readonly values?: readonly unknown[];
  readonly out?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => schema._zod.def;

export function schemaText(schema: z.ZodType): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).map(([name, field]) => {
        const optional = defOf(field).type === 'optional' || defOf(field).type === 'default';
        return `${name}${optional ? '?' : ''}: ${schemaText(field)}`;
      });
      return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
    }
    case 'array':
      return `${wrap(def.element)}[]`;
    case 'optional':
    case 'default':
    case 'readonly':
      return def.innerType ? schemaText(def.innerType) : 'unknown';
    case 'nullable':
      return def.innerType ? `${schemaText(def.innerType)} | null` : 'null';
    case 'record':
      return `{ [key: string]: ${def.valueType ? schemaText(def.valueType) : 'unknown'} }`;
    case 'enum':
      return Object.values(def.entries ?? {})
        .map((v) => JSON.stringify(v))
        .join(' | ');
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' | ');
    case 'union':
      return (def.options ?? []).map(schemaText).join(' | ');
    case 'pipe':
      return def.out ? schemaText(def.out) : 'unknown';
    default:
      return def.type;
  }
}

function wrap(schema: z.ZodType | undefined): string {
  if (!schema) return 'unknown';
  const text = schemaText(schema);
  return ['union', 'enum', 'literal', 'nullable'].includes(defOf(schema).type) && text.includes(' | ')
    ? `(${text})`
    : text;
}
