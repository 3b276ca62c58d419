import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descriptorLimit } from './descriptor-limit.js';

describe('descriptorLimit', () => {
  const file = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'tandem-limits-')), 'limits');
    writeFileSync(path, text);
    return path;
  };

  it('reads the soft open-file limit', () => {
    const text =
      'Limit                     Soft Limit           Hard Limit           Units\n' +
      'Max open files            20000                40000                files\n';
    expect(descriptorLimit(file(text))).toBe(20_000);
  });

  it('answers undefined when the limit is unlimited or unreadable', () => {
    expect(descriptorLimit(file('Max open files  unlimited  unlimited  files\n'))).toBeUndefined();
    expect(descriptorLimit(join(tmpdir(), 'no-such-limits-file'))).toBeUndefined();
  });

  it('reads this process on Linux', () => {
    if (process.platform === 'linux') expect(descriptorLimit()).toBeGreaterThan(0);
  });
});
