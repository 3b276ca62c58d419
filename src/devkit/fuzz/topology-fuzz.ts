/**
 * @module Fuzzes the topology parser without a server: damaged YAML documents must parse or fail with
 * TOPOLOGY_INVALID naming the field at fault, and damaged documents already read from YAML must give a list
 * of issues; never another exception, and never a long stall.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TandemError } from '../../errors/index.js';
import { parseTopology, validateTopologyDocument } from '../../topology/index.js';
import { packageRoot } from '../../files/package-root.js';
import { SeededRandom } from '../seeded-random.js';
import { mutateDocument } from './document-mutate.js';
import { mutateJson } from './mutate.js';
import type { Json } from './fuzz-values.js';
import { addViolation, countOutcome, newReport, type FuzzReport } from './fuzz-report.js';
import { inputSeed } from './input-seed.js';

/** The topology documents shipped in examples/, the valid starting points. */
export function sampleTopologies(): string[] {
  return ['litware.yaml', 'litware-enterprise.yaml'].map((f) =>
    readFileSync(join(packageRoot(), 'examples', f), 'utf8'),
  );
}

/** Why a thrown value is not the clear error the parser promises; undefined when it is. */
export function topologyErrorProblem(err: unknown): string | undefined {
  if (!(err instanceof TandemError))
    return `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  if (err.code !== 'TOPOLOGY_INVALID') return `threw ${err.code}, not TOPOLOGY_INVALID`;
  const details = String(err.params.details ?? '');
  // Each line is `<field path>: <message>`.
  const unnamed = details.split('\n').filter((line) => !/^\S.*?: .*\S/.test(line));
  return unnamed.length > 0 ? `an issue names no field: ${unnamed[0]}` : undefined;
}

const SLOW_MS = 2_000;

type Found = { kind: string; detail: string; sample: unknown } | undefined;

function checkYaml(text: string, report: FuzzReport): Found {
  try {
    parseTopology(text, { dataDir: '/tmp/tandem-fuzz', sourceName: 'fuzz.yaml' });
    countOutcome(report, 'ok');
    return undefined;
  } catch (err) {
    countOutcome(report, err instanceof TandemError ? err.code : 'exception');
    const detail = topologyErrorProblem(err);
    return detail ? { kind: 'yaml', detail, sample: text } : undefined;
  }
}

function checkDocument(doc: Json, report: FuzzReport): Found {
  try {
    const issues = validateTopologyDocument(doc, { dataDir: '/tmp/tandem-fuzz' });
    countOutcome(report, issues.length === 0 ? 'ok' : 'issues');
    const bad = issues.find((x) => x.path === '' || x.message.trim() === '');
    return bad
      ? { kind: 'document', detail: `an unclear issue: ${JSON.stringify(bad)}`, sample: doc }
      : undefined;
  } catch (err) {
    countOutcome(report, 'exception');
    return { kind: 'document', detail: `validateTopologyDocument threw ${String(err)}`, sample: doc };
  }
}

export function fuzzTopology(
  seed: number,
  iterations: number,
  samples: readonly string[] = sampleTopologies(),
): FuzzReport {
  const report = newReport('topology', seed);
  const started = Date.now();
  const docs = samples.map((s) => parseYaml(s) as Json);
  for (let i = 0; i < iterations; i++) {
    const r = new SeededRandom(inputSeed(seed, i));
    const t0 = Date.now();
    const found = r.chance(0.7)
      ? checkYaml(mutateDocument(r, r.pick(samples)), report)
      : checkDocument(mutateJson(r, r.pick(docs)), report);
    const took = Date.now() - t0;
    if (found) addViolation(report, { input: i, ...found });
    else if (took > SLOW_MS)
      addViolation(report, { input: i, kind: 'slow', detail: `took ${took} ms`, sample: '' });
    report.inputs += 1;
  }
  report.elapsedMs = Date.now() - started;
  return report;
}
