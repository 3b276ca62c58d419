import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentStore, contentFilePath } from './content-store.js';

const ALICE = 'sip:alice@litwareinc.com';
const BOB = 'sip:bob@litwareinc.com';

describe('ContentStore', () => {
  it("keeps each user's files apart: removing one user's copy leaves another's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-content-'));
    const files = new ContentStore(dir);
    const data = Buffer.from('the same bytes');
    const sha = await files.put(ALICE, data);
    expect(await files.put(BOB, data)).toBe(sha);
    await files.remove(ALICE, sha);
    expect(existsSync(contentFilePath(dir, ALICE, sha))).toBe(false);
    expect(await files.get(BOB, sha)).toEqual(data);
    await expect(files.get(ALICE, sha)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await files.remove(ALICE, sha); // already gone: no error
  });

  it('reads a file an older version wrote in the shared folder, and never deletes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-content-'));
    mkdirSync(dir, { recursive: true });
    const data = Buffer.from('older layout');
    const sha = createHash('sha256').update(data).digest('hex');
    writeFileSync(join(dir, sha), data);
    const files = new ContentStore(dir);
    expect(await files.get(ALICE, sha)).toEqual(data);
    await files.remove(ALICE, sha);
    expect(existsSync(join(dir, sha))).toBe(true);
  });

  it('refuses a digest that could name another path', async () => {
    const files = new ContentStore(mkdtempSync(join(tmpdir(), 'tandem-content-')));
    await expect(files.get(ALICE, '../../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(files.remove(ALICE, '../x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
