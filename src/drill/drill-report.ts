/**
 * @module The drill's report: the figures a person choosing a disaster-recovery system asks for (load,
 * faults, changes acknowledged and lost, failover and recovery times, replication lag, memory over time),
 * the invariant violations with the seed to reproduce them, and a short markdown summary.
 */
import { cpus } from 'node:os';
import { percentile, round } from '../bench/stats.js';
import type { FleetStatus } from './activity-fleet.js';
import type { DrillContext, Violation } from './drill-context.js';
import type { MemorySample } from './drill-monitor.js';
import { reproduceLine, type DrillOptions } from './drill-options.js';
import type { ScenarioKind } from './drill-scenarios.js';

export interface TimeFigures {
  readonly n: number;
  readonly p50: number;
  readonly max: number;
}

export interface MemoryTrend {
  readonly server: string;
  readonly pid: number;
  readonly samples: number;
  readonly firstMiB: number;
  readonly lastMiB: number;
  readonly peakMiB: number;
}

export interface DrillReport {
  readonly drill: 'tandem';
  readonly ok: boolean;
  readonly options: DrillOptions;
  readonly reproduce: string;
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly cyclesRun: number;
  readonly scenarios: readonly {
    readonly cycle: number;
    readonly kind: ScenarioKind;
    readonly seconds: number;
  }[];
  readonly faults: Record<string, number>;
  readonly changes: {
    readonly clientActions: number;
    readonly acknowledged: number;
    readonly savedChangesInLedger: number;
    readonly refusedByCode: Record<string, number>;
    readonly lost: DrillContext['lost'];
  };
  readonly times: {
    readonly plannedFailover: TimeFigures;
    readonly plannedFailback: TimeFigures;
    readonly disasterFailover: TimeFigures;
    readonly disasterFailback: TimeFigures;
    readonly cmsFailover: TimeFigures;
    readonly signInRecovery: TimeFigures;
  };
  readonly peakReplicationExposureSeconds: number;
  readonly fencing: { readonly samples: number; readonly breaches: number };
  readonly memory: readonly MemoryTrend[];
  readonly memorySamples: readonly MemorySample[];
  readonly commandErrors: Record<string, number>;
  readonly fuzzInputs: Record<string, number>;
  readonly violations: readonly Violation[];
}

export function timeFigures(samples: readonly number[]): TimeFigures {
  if (samples.length === 0) return { n: 0, p50: 0, max: 0 };
  return { n: samples.length, p50: round(percentile(samples, 50), 2), max: round(Math.max(...samples), 2) };
}

/** Samples grouped by server process (server and pid), in the order taken. */
function byProcess(samples: readonly MemorySample[]): MemorySample[][] {
  const groups = new Map<string, MemorySample[]>();
  for (const s of samples) {
    const key = `${s.server} ${s.pid}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.values()];
}

/** Memory per server process: first, last and peak RSS. */
export function memoryTrends(samples: readonly MemorySample[]): MemoryTrend[] {
  const mib = (b: number) => round(b / 1_048_576, 1);
  return byProcess(samples).map((ss) => ({
    server: ss[0]?.server ?? '',
    pid: ss[0]?.pid ?? 0,
    samples: ss.length,
    firstMiB: mib(ss[0]?.rssBytes ?? 0),
    lastMiB: mib(ss[ss.length - 1]?.rssBytes ?? 0),
    peakMiB: mib(Math.max(...ss.map((s) => s.rssBytes))),
  }));
}

/**
 * A leak shows as memory that keeps growing across cycles in one process. The check compares the median of
 * the last quarter of a process's samples with the median of its second quarter (after its caches and the
 * users' sessions have filled): more than 1.5 times plus 64 MiB is a violation.
 */
export function leaks(samples: readonly MemorySample[]): string[] {
  const out: string[] = [];
  for (const ss of byProcess(samples)) {
    const rss = ss.map((s) => s.rssBytes);
    if (rss.length < 16) continue;
    const q = Math.floor(rss.length / 4);
    const early = percentile(rss.slice(q, 2 * q), 50);
    const late = percentile(rss.slice(3 * q), 50);
    if (late > early * 1.5 + 64 * 1_048_576)
      out.push(
        `${ss[0]?.server ?? ''} (pid ${ss[0]?.pid ?? 0}): RSS grew from ${round(early / 1_048_576)} MiB to ${round(late / 1_048_576)} MiB`,
      );
  }
  return out;
}

export function buildReport(
  ctx: DrillContext,
  startedAt: number,
  scenarios: DrillReport['scenarios'],
  fleet: FleetStatus,
): DrillReport {
  const m = ctx.monitor;
  return {
    drill: 'tandem',
    ok: ctx.violations.length === 0,
    options: ctx.options,
    reproduce: reproduceLine(ctx.options),
    startedAt: new Date(startedAt).toISOString(),
    seconds: round((Date.now() - startedAt) / 1000, 1),
    machine: { cpus: cpus().length, node: process.version },
    cyclesRun: scenarios.length,
    scenarios,
    faults: ctx.faults,
    changes: {
      clientActions: fleet.actions,
      acknowledged: fleet.acked,
      savedChangesInLedger: fleet.ledgerEntries,
      refusedByCode: fleet.refused,
      lost: ctx.lost,
    },
    times: {
      plannedFailover: timeFigures(ctx.timings.plannedFailover),
      plannedFailback: timeFigures(ctx.timings.plannedFailback),
      disasterFailover: timeFigures(ctx.timings.disasterFailover),
      disasterFailback: timeFigures(ctx.timings.disasterFailback),
      cmsFailover: timeFigures(ctx.timings.cmsFailover),
      signInRecovery: timeFigures(ctx.timings.recovery),
    },
    peakReplicationExposureSeconds: m.peakExposureSeconds,
    fencing: { samples: m.fencingSamples, breaches: m.breaches.length },
    memory: memoryTrends(m.memory),
    memorySamples: thin(m.memory, 2_000),
    commandErrors: ctx.commandErrors,
    fuzzInputs: ctx.fuzzInputs,
    violations: ctx.violations,
  };
}

/** At most `max` samples, evenly spaced (an hour's soak samples every two seconds). */
function thin<T>(samples: readonly T[], max: number): T[] {
  if (samples.length <= max) return [...samples];
  const step = samples.length / max;
  return Array.from({ length: max }, (_, i) => samples[Math.floor(i * step)] as T);
}

const fmt = (t: TimeFigures) => (t.n === 0 ? '—' : `${t.p50} s / ${t.max} s (n=${t.n})`);

export function summaryMarkdown(r: DrillReport): string {
  const lines = [
    `# Tandem drill: ${r.ok ? 'PASSED' : 'FAILED'}`,
    '',
    `${r.options.users} users, ${r.cyclesRun} cycles, seed ${r.options.seed}, ${r.seconds} s, ${r.machine.cpus} CPUs, Node ${r.machine.node}, started ${r.startedAt}.`,
    `Reproduce: \`${r.reproduce}\``,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| faults and operations | ${Object.entries(r.faults)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} |`,
    `| client actions / acknowledged | ${r.changes.clientActions} / ${r.changes.acknowledged} |`,
    `| saved changes in the ledger | ${r.changes.savedChangesInLedger} |`,
    `| lost after planned failover or failback | ${r.changes.lost.unexplained} |`,
    `| reported possibly lost by disaster failovers | ${r.changes.lost.reportedPossiblyLost} (listed at failback ${r.changes.lost.listedAtFailback}, restored ${r.changes.lost.restored}) |`,
    `| planned failover, p50 / max | ${fmt(r.times.plannedFailover)} |`,
    `| planned failback, p50 / max | ${fmt(r.times.plannedFailback)} |`,
    `| disaster failover command, p50 / max | ${fmt(r.times.disasterFailover)} |`,
    `| failback after a disaster, p50 / max | ${fmt(r.times.disasterFailback)} |`,
    `| CMS failover, p50 / max | ${fmt(r.times.cmsFailover)} |`,
    `| everyone back at work after a fault or command, p50 / max | ${fmt(r.times.signInRecovery)} |`,
    `| peak replication exposure | ${r.peakReplicationExposureSeconds} s |`,
    `| fencing samples / breaches | ${r.fencing.samples} / ${r.fencing.breaches} |`,
    `| server memory (first → last, peak) | ${r.memory.map((m) => `${m.server.split('.')[0] ?? ''}#${m.pid} ${m.firstMiB}→${m.lastMiB} MiB (peak ${m.peakMiB})`).join('; ')} |`,
    `| fuzzer inputs between cycles | ${
      Object.entries(r.fuzzInputs)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    } |`,
    `| refusals seen by clients | ${
      Object.entries(r.changes.refusedByCode)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    } |`,
    '',
  ];
  if (r.violations.length > 0) {
    lines.push('## Violations', '');
    for (const v of r.violations)
      lines.push(`- cycle ${v.cycle}, ${v.step}: **${v.invariant}**: ${v.detail}`);
    lines.push('');
  }
  return lines.join('\n');
}
