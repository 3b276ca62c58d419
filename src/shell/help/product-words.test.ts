/**
 * @module Product text names Lync's procedures by their titles ("Failing over a pool in Lync Server 2013", ...),
 * never by the private source documents' numbers ("seed 001"): a maintainer has only the repository.
 */
import { describe, expect, it } from 'vitest';
import type { CmdletDef } from '../../cmdlets/cmdlet-def.js';
import { ALL_CMDLETS } from '../../cmdlets/registry.js';
import { ErrorCodes } from '../../errors/registry.js';
import { renderHelp } from './render-help.js';

const SEED = /\bseeds?\b/i;

/** Every string in a cmdlet definition: synopsis, description, parameter help, examples, notes. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function offenders(texts: readonly string[]): string[] {
  return texts.filter((text) => SEED.test(text));
}

describe('words a maintainer understands', () => {
  it('no error message template mentions a seed', () => {
    const found = Object.entries(ErrorCodes)
      .filter(([, spec]) => SEED.test(spec.message))
      .map(([code]) => code);
    expect(found).toEqual([]);
  });

  it.each(ALL_CMDLETS.map((def: CmdletDef) => [def.name, def] as const))(
    'the help of %s mentions no seed',
    (_name, def) => {
      expect(offenders(strings(def))).toEqual([]);
      expect(offenders(renderHelp(def).split('\n'))).toEqual([]);
    },
  );

  it('catches the old wording', () => {
    expect(offenders(['as seed 001 step 5 describes', '(seeds 001, 004)', 'Seed 003'])).toHaveLength(3);
    expect(offenders(['a seeded order', 'seedCmsIfEmpty'])).toEqual([]);
  });
});
