/** @module The V8 flag behind the linear-time regexp engine is set where a -match runs, not by an import. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const WHERE_OBJECT = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'dist',
  'cmdlets',
  'grammar',
  'where-object.js',
);

/** Whether a fresh process can build an `l` regexp after importing Where-Object, and after running a -match. */
function probe(): { afterImport: boolean; afterMatch: boolean; matched: boolean } {
  const script = `
    const linear = () => { try { new RegExp('a', 'l'); return true; } catch { return false; } };
    const { compileFilter } = await import(${JSON.stringify(WHERE_OBJECT)});
    const afterImport = linear();
    const matched = compileFilter("{$_.Fqdn -match '^atl'}")({ Fqdn: 'atl-cs-001' });
    console.log(JSON.stringify({ afterImport, afterMatch: linear(), matched }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as { afterImport: boolean; afterMatch: boolean; matched: boolean };
}

describe('the linear-time regexp engine', () => {
  it('is switched on by the first -match, not by importing Where-Object', () => {
    expect(probe()).toEqual({ afterImport: false, afterMatch: true, matched: true });
  });
});
