/**
 * The drill's CI preset, run as `npm run drill` runs it (the built CLI, real server processes, kill -9, a
 * TCP proxy on the link): every scenario kind runs once and every invariant holds. TANDEM_DRILL_SEED picks
 * another seed; a failure prints the line that reproduces it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runNode } from '../../src/devkit/cluster.js';
import type { DrillReport } from '../../src/drill/drill-report.js';
import { SCENARIO_KINDS } from '../../src/drill/drill-scenarios.js';

const out = mkdtempSync(join(tmpdir(), 'tandem-drill-'));
// A failed run keeps its report and server logs for whoever looks into it.
let keep = false;
afterAll(() => {
  if (keep) console.log(`drill output kept in ${out}`);
  else rmSync(out, { recursive: true, force: true });
});

const drill = (args: readonly string[]) => runNode(join(REPO, 'dist', 'drill', 'main.js'), args);

describe('npm run drill -- --preset ci', () => {
  // About 70 s on an idle machine; a busy one needs more, and the drill has its own recovery targets.
  it('runs every scenario kind and keeps every invariant', { timeout: 600_000 }, async ({ onTestFailed }) => {
    onTestFailed(() => {
      keep = true;
    });
    const seed = process.env.TANDEM_DRILL_SEED ?? '20261123';
    const r = await drill(['--preset', 'ci', '--seed', seed, '--out', out]);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as DrillReport;
    expect(report.violations, `${r.stdout}\n${r.stderr}`).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.reproduce).toContain(`--seed ${seed}`);
    expect(new Set(report.scenarios.map((s) => s.kind))).toEqual(new Set(SCENARIO_KINDS));
    for (const fault of [
      'kill-9',
      'disaster-failover',
      'planned-failover',
      'failback',
      'cms-failover',
      'restart',
      'coordinator-kill',
    ])
      expect(report.faults[fault] ?? 0, fault).toBeGreaterThan(0);
    expect((report.faults['link-cut'] ?? 0) + (report.faults['link-blackholed'] ?? 0)).toBeGreaterThan(0);
    expect(report.changes.acknowledged).toBeGreaterThan(50);
    expect(report.changes.savedChangesInLedger).toBeGreaterThan(20);
    expect(report.changes.lost.unexplained).toBe(0);
    expect(report.fencing.samples).toBeGreaterThan(10);
    expect(report.memory.length).toBeGreaterThanOrEqual(2);
    // The fuzzers' long mode ran between cycles, against live servers under load.
    for (const target of ['client-protocol', 'admin-api', 's2s', 'topology', 'cmdlet-grammar'])
      expect(report.fuzzInputs[target] ?? 0, target).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('# Tandem drill: PASSED');
  });

  it(
    'runs on a topology file: another pair, servers named apart from their pools, no Edge pool',
    { timeout: 600_000 },
    async ({ onTestFailed }) => {
      onTestFailed(() => {
        keep = true;
      });
      const dir = join(out, 'contoso');
      const r = await drill([
        '--preset',
        'ci',
        '--cycles',
        '4',
        '--seed',
        '5',
        '--fuzz',
        '0',
        '--topology',
        join(REPO, 'test', 'drill', 'contoso-pair.yaml'),
        '--out',
        dir,
      ]);
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as DrillReport;
      expect(report.violations, `${r.stdout}\n${r.stderr}`).toEqual([]);
      expect(r.code).toBe(0);
      expect(report.changes.acknowledged).toBeGreaterThan(20);
      expect(report.memory.map((m) => m.server)).toEqual(
        expect.arrayContaining(['fe-east-01.contoso.com', 'fe-west-01.contoso.com']),
      );
      expect(readFileSync(join(dir, 'logs', 'fe-east-01.contoso.com.log'), 'utf8')).toContain('listening');
    },
  );

  it('refuses bad parameters with a clear message and exit code 2', async () => {
    const r = await drill(['--users', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--users must be a whole number');
    const p = await drill(['--preset', 'huge']);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('--preset must be ci, full or soak');
    const u = await drill(['--cylces', '3']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('Usage: npm run drill');
    // A topology Tandem refuses: the first pool's backup pool is not in it. The error names the field.
    const bad = join(out, 'bad.yaml');
    writeFileSync(
      bad,
      readFileSync(join(REPO, 'examples', 'litware.yaml'), 'utf8').replace(
        'backupPool: dal-cs-001',
        'backupPool: sea-cs-001',
      ),
    );
    const t = await drill(['--topology', bad, '--out', join(out, 'bad')]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('pools[0].backupPool');
  });
});
