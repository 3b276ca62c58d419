/**
 * @module Fuzzes the cmdlet language without a server: damaged examples of every cmdlet and random lines
 * go through the tokenizer, parser and binder, Where-Object and Get-CsUser -Filter conditions are compiled
 * and evaluated. Each line must bind or fail with a TandemError of the registry, quickly.
 */
import { ErrorCodes, TandemError } from '../../errors/index.js';
import { bindCommand } from '../../cmdlets/grammar/binder.js';
import { parseArgv, parseCommandLine, type Pipeline } from '../../cmdlets/grammar/parser.js';
import { compileFilter, compileWhereObject } from '../../cmdlets/grammar/where-object.js';
import { cmdletRegistry } from '../../cmdlets/registry.js';
import { SeededRandom } from '../seeded-random.js';
import { edgeString, randomWord } from './fuzz-values.js';
import { addViolation, countOutcome, newReport, type FuzzReport } from './fuzz-report.js';
import { inputSeed } from './input-seed.js';

const EXAMPLES = cmdletRegistry.all().flatMap((d) => d.examples.map((e) => e.command));
const PARAM_NAMES = [...new Set(cmdletRegistry.all().flatMap((d) => d.params.map((p) => p.name)))];
const PIECES = [
  '|',
  ',',
  ';',
  '{',
  '}',
  '(',
  ')',
  '@(',
  '$true',
  '$false',
  '$null',
  '$_',
  '$_.Identity',
  '"',
  "'",
  '`',
  '-',
  '--',
  '–Force',
  '—WhatIf',
  '-eq',
  '-and',
  '-not',
  '!',
  '-match',
  '-like',
  '-contains',
  '-in',
  '00:00:30',
  '1e400',
  '-1',
  '0x10',
  'sip:alice@litwareinc.com',
  'atl-cs-001.litwareinc.com',
  '*',
  '#',
];
/** Records a compiled condition is tried on; short values keep a hostile -match pattern's cost bounded. */
const RECORDS = [
  {
    Identity: 'sip:alice@litwareinc.com',
    DisplayName: 'Alice Smith',
    Enabled: true,
    Users: 3,
    Tags: ['a', 'b'],
  },
  { Identity: 'atl', PoolState: 'Active', Nested: { Deep: { Value: 1 } }, Empty: null },
];

function piece(r: SeededRandom): string {
  return r.weighted<() => string>([
    [() => r.pick(PIECES), 6],
    [() => `-${r.pick(PARAM_NAMES)}`, 3],
    [() => `-${r.pick(PARAM_NAMES)}:${randomWord(r, 6)}`, 1],
    [() => randomWord(r, 8), 3],
    [() => JSON.stringify(edgeString(r, 2_000)), 1],
    [() => edgeString(r, 2_000), 1],
  ])();
}

function words(line: string): string[] {
  return line.split(/\s+/).filter((w) => w !== '');
}

/** A damaged example, a random line, or a deep or long condition. */
export function randomCommandLine(r: SeededRandom): string {
  return r.weighted<() => string>([
    [
      () => {
        const ws = words(r.pick(EXAMPLES));
        for (let n = r.int(1, 3); n > 0; n--) {
          const at = r.int(0, ws.length);
          const op = r.int(0, 3);
          if (op === 0) ws.splice(at, 1);
          else if (op === 1) ws.splice(at, 0, piece(r));
          else if (op === 2) ws[at] = `${ws[at] ?? ''}${piece(r)}`;
          else ws.splice(at, 1, ...(ws[at] ?? '').split(''));
        }
        return ws.join(' ');
      },
      10,
    ],
    [() => Array.from({ length: r.int(1, 12) }, () => piece(r)).join(r.chance(0.8) ? ' ' : ''), 5],
    [
      () => `Get-CsPool | Where-Object {${Array.from({ length: r.int(1, 10) }, () => piece(r)).join(' ')}}`,
      4,
    ],
    [() => `Get-CsUser -Filter {${Array.from({ length: r.int(1, 8) }, () => piece(r)).join(' ')}}`, 2],
    [
      () =>
        `Get-CsPool | Where-Object {${'('.repeat(r.int(50, 5_000))}$_.A -eq 1${')'.repeat(r.int(0, 5_000))}}`,
      1,
    ],
    [() => `Get-CsPool | Where-Object {${'$_.A -eq 1 -or '.repeat(r.int(10, 3_000))}$true}`, 1],
    [() => `Get-CsUser -Identity ${'*a'.repeat(r.int(5, 40))}*x`, 1],
    // Enough stars to stall a backtracking matcher for seconds on a short value; not for ever.
    [() => `Get-CsPool | Where-Object Identity -like ${'*'.repeat(r.int(8, 11))}x`, 1],
  ])();
}

/** Parses, binds and (for conditions) evaluates one line; throws what the shell would have thrown. */
function runLine(line: string, asArgv: boolean): string {
  const pipeline: Pipeline = asArgv ? parseArgv(words(line)) : parseCommandLine(line);
  for (const cmd of pipeline) {
    if (cmd.name.toLowerCase() === 'where-object') {
      const filter = compileWhereObject(cmd.args);
      for (const rec of RECORDS) filter(rec);
      continue;
    }
    const bound = bindCommand(cmd, cmdletRegistry);
    const filterText = bound.params.Filter;
    if (typeof filterText === 'string') {
      // Get-CsUser -Filter runs on the server, with Lync's bare property names.
      const filter = compileFilter(filterText, { bareProperties: true });
      for (const rec of RECORDS) filter(rec);
    }
  }
  return pipeline.length === 0 ? 'empty' : 'ok';
}

const SLOW_MS = 1_000;

export function fuzzCmdletGrammar(seed: number, iterations: number): FuzzReport {
  const report = newReport('cmdlet-grammar', seed);
  const started = Date.now();
  for (let i = 0; i < iterations; i++) {
    const r = new SeededRandom(inputSeed(seed, i));
    const line = randomCommandLine(r);
    const asArgv = r.chance(0.2);
    const t0 = Date.now();
    try {
      countOutcome(report, runLine(line, asArgv));
    } catch (err) {
      const known =
        err instanceof TandemError && Object.hasOwn(ErrorCodes, err.code) && err.code !== 'INTERNAL';
      countOutcome(report, err instanceof TandemError ? err.code : 'exception');
      if (!known) {
        const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        addViolation(report, { input: i, kind: asArgv ? 'argv' : 'line', detail, sample: line });
      }
    }
    const took = Date.now() - t0;
    if (took > SLOW_MS)
      addViolation(report, { input: i, kind: 'slow', detail: `took ${took} ms`, sample: line });
    report.inputs += 1;
  }
  report.elapsedMs = Date.now() - started;
  return report;
}
