/**
 * @module The layers hold themselves: every folder of src/ has exactly one layer, docs/ARCHITECTURE.md's table is
 * generated from the same list (UPDATE_DOCS=1 rewrites it), and each rule that keeps the layers really fires on a
 * file that breaks it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS, SOCKET_MODULES, SQL_MODULES, layerProbeName, withLayerTable } from './layer-list.js';

const REPO = join(import.meta.dirname, '..', '..');
const SRC = join(REPO, 'src');
const DOC = join(REPO, 'docs', 'ARCHITECTURE.md');

/** Writes files that break a rule into src/, runs `check` on them, and removes them whatever happens. */
async function withProbes<T>(
  files: Record<string, string>,
  check: (paths: string[]) => Promise<T>,
): Promise<T> {
  const tag = randomBytes(4).toString('hex');
  const paths = Object.entries(files).map(([folder, code]) => {
    const path = join(SRC, folder, layerProbeName(tag));
    writeFileSync(path, code);
    return path;
  });
  try {
    return await check(paths);
  } finally {
    for (const p of paths) rmSync(p, { force: true });
  }
}

/** A source file of a folder, to import from a probe. */
function someFileOf(folder: string): string {
  const file = readdirSync(join(SRC, folder)).find(
    (f) => f.endsWith('.ts') && !/\.(test|fixture)\.ts$/.test(f),
  );
  if (!file) throw new Error(`src/${folder} has no source file`);
  return file.replace(/\.ts$/, '.js');
}

describe('layers', () => {
  it('give every folder of src/ exactly one layer', () => {
    const listed = LAYERS.flatMap((l) => l.folders);
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(
      folders.filter((f) => !listed.includes(f)),
      'folders of src/ missing from layers.cjs',
    ).toEqual([]);
    expect(
      listed.filter((f) => !folders.includes(f)),
      'layers.cjs names folders src/ lacks',
    ).toEqual([]);
    expect(
      listed.filter((f, i) => listed.indexOf(f) !== i),
      'folders in more than one layer',
    ).toEqual([]);
  });

  it('are the table of docs/ARCHITECTURE.md', async () => {
    const doc = readFileSync(DOC, 'utf8');
    const generated = await withLayerTable(doc, DOC);
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, generated);
    expect(doc, 'docs/ARCHITECTURE.md is out of date: run `npm run docs` and commit the result').toBe(
      generated,
    );
  });

  it('are enforced: an import that points up fails dependency-cruiser', async () => {
    // One probe per layer but the top, importing a file of the layer above it.
    const probes = Object.fromEntries(
      LAYERS.slice(0, -1).map((layer, i) => {
        const up = LAYERS[i + 1]!.folders[0]!;
        return [layer.folders[0]!, `export * from '../${up}/${someFileOf(up)}';\n`];
      }),
    );
    const violations = await withProbes(probes, async (paths) => {
      const out = await promisify(execFile)(
        join(REPO, 'node_modules', '.bin', 'depcruise'),
        [...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
        { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
      ).catch((e: { stdout: string }) => e);
      const report = JSON.parse(out.stdout) as {
        summary: { violations: { from: string; rule: { name: string } }[] };
      };
      return report.summary.violations.map((v) => `${v.from.split('/')[1]}: ${v.rule.name}`);
    });
    for (const layer of LAYERS.slice(0, -1))
      expect(violations).toContain(`${layer.folders[0]}: layer-${layer.folders.join('-')}-points-down`);
  });

  it('are enforced: the domain importing sockets, or anything but storage importing SQL, fails ESLint', async () => {
    const importsOf = (modules: readonly string[]) =>
      `${modules.map((m, i) => `import * as m${i} from '${m}';`).join('\n')}\nexport const all = [${modules.map((_, i) => `m${i}`).join(', ')}];\n`;
    const expected = new Map<string, readonly string[]>();
    for (const layer of LAYERS)
      for (const folder of layer.folders) {
        if (folder === 'bench') continue; // measures the raw-insert ceiling with the SQLite driver itself
        const banned =
          folder === 'storage'
            ? SOCKET_MODULES
            : layer.domain
              ? [...SOCKET_MODULES, ...SQL_MODULES]
              : SQL_MODULES;
        expected.set(folder, [
          ...banned,
          ...banned.filter((m) => !m.startsWith('node:')).map((m) => `${m}/lib/probe`),
        ]);
      }
    const found = await withProbes(
      Object.fromEntries([...expected].map(([folder, modules]) => [folder, importsOf(modules)])),
      async (paths) => {
        const results = await new ESLint({ cwd: REPO }).lintFiles(paths);
        return new Map(
          results.map((r) => [
            r.filePath.split('/').at(-2)!,
            r.messages.filter((m) => m.ruleId === 'no-restricted-imports').length,
          ]),
        );
      },
    );
    for (const [folder, modules] of expected) expect(found.get(folder), `src/${folder}`).toBe(modules.length);
  });

  it('keep source files small: one past 400 lines fails ESLint (npm run lint checks all of src/)', async () => {
    const long = Array.from({ length: 401 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    const messages = await withProbes({ json: `${long}\n` }, async (paths) =>
      (await new ESLint({ cwd: REPO }).lintFiles(paths)).flatMap((r) => r.messages),
    );
    expect(messages.map((m) => m.ruleId)).toContain('max-lines');
  });
});
