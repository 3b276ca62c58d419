/**
 * @module What `npm run build` compiles into dist/ is what runs: every module tsconfig.build.json takes is
 * reached from a run-time entry point. Code only tests use is named *.fixture.ts (or *.conformance.ts), which
 * the build leaves out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLayerProbe } from './layer-list.js';

const REPO = join(import.meta.dirname, '..', '..');
const SRC = join(REPO, 'src');

/** Entry points: the `tandem` command (bin/tandem.js), npm scripts that run dist/ directly, the SDK's barrel. */
const ENTRIES = [
  'cli/main.ts',
  'bench/run.ts',
  'drill/main.ts',
  'devkit/stress/run-under-load.ts',
  'client-sdk/index.ts',
];

const TEST_ONLY = /\.(test|fixture|conformance)\.ts$/;

/**
 * Generators of docs/errors.md and docs/protocol.md (run by `npm run docs` as the tests that keep the files in
 * step), with the schema-to-text helper the protocol document uses.
 */
const DOC_SOURCES = ['errors/errors-markdown.ts', 'protocol/protocol-markdown.ts', 'protocol/schema-text.ts'];

function built(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return built(path);
    return e.name.endsWith('.ts') && !TEST_ONLY.test(e.name) && !isLayerProbe(e.name) ? [path] : [];
  });
}

/** Static imports, dynamic imports and worker files (`new URL('./x.js', import.meta.url)`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*|new URL\(\s*)'(\.{1,2}\/[^']+)\.js'/g)];
  return specs.map((m) => resolve(dirname(file), `${m[1] ?? ''}.ts`));
}

describe('dist/', () => {
  it('holds no module that only tests use', () => {
    const reached = new Set<string>();
    const stack = ENTRIES.map((e) => join(SRC, e));
    for (let file = stack.pop(); file !== undefined; file = stack.pop()) {
      if (reached.has(file)) continue;
      reached.add(file);
      stack.push(...importsOf(file).filter((f) => !reached.has(f)));
    }
    const unreached = built(SRC)
      .filter((f) => !reached.has(f))
      .map((f) => relative(SRC, f))
      .filter((f) => !DOC_SOURCES.includes(f));
    expect(unreached).toEqual([]);
  });
});
