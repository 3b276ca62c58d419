/**
 * @module The drill's parameters, its two presets (a small one for CI, a full one at 20,000 users), and
 * the parsing of `npm run drill -- --users N --cycles N --seed N --duration S ...` with clear errors.
 */
import { parseArgs } from 'node:util';

export type DrillPreset = 'ci' | 'full' | 'soak';

export interface DrillOptions {
  readonly preset: DrillPreset;
  readonly users: number;
  /** Scenarios to run (each ends with both pools Active and every check passed). */
  readonly cycles: number;
  readonly seed: number;
  /** Stop starting new cycles after this many seconds (0: no limit); the soak sets it. */
  readonly durationSeconds: number;
  /** Client processes (0: the clients run in the driver's process). */
  readonly workers: number;
  /** Client actions per second across all users. */
  readonly ratePerSecond: number;
  /** Every client that keeps retrying must be back at work within this time of a fault or command. */
  readonly recoveryTargetSeconds: number;
  /** Steady load between cycles, in seconds (the soak's periodic failovers). */
  readonly pauseSeconds: number;
  /** Frames per fuzzer run between cycles (0: none). */
  readonly fuzzIterations: number;
  /** The coordinator-kill scenario kills at every step boundary ('all') or at one seeded step ('one'). */
  readonly coordinatorKillSteps: 'one' | 'all';
  /** Folder for report.json, summary.md and the server logs. */
  readonly out: string;
  /** A topology file with a pair of pools (default: the demo's, examples/litware.yaml). */
  readonly topology?: string;
}

export const PRESETS: Record<DrillPreset, Omit<DrillOptions, 'seed' | 'out'>> = {
  ci: {
    preset: 'ci',
    users: 40,
    cycles: 7,
    durationSeconds: 0,
    workers: 0,
    ratePerSecond: 20,
    recoveryTargetSeconds: 60,
    pauseSeconds: 0,
    fuzzIterations: 100,
    coordinatorKillSteps: 'one',
  },
  full: {
    preset: 'full',
    users: 20_000,
    cycles: 12,
    durationSeconds: 0,
    workers: 2,
    ratePerSecond: 400,
    recoveryTargetSeconds: 90,
    pauseSeconds: 0,
    fuzzIterations: 2_000,
    coordinatorKillSteps: 'all',
  },
  soak: {
    preset: 'soak',
    users: 5_000,
    cycles: 100_000,
    durationSeconds: 3_600,
    workers: 2,
    ratePerSecond: 200,
    recoveryTargetSeconds: 90,
    pauseSeconds: 60,
    fuzzIterations: 500,
    coordinatorKillSteps: 'one',
  },
};

export const DRILL_USAGE = `npm run drill -- [--preset ci|full|soak] [--users N] [--cycles N] [--seed N] [--duration SECONDS]
                    [--workers N] [--rate ACTIONS_PER_S] [--recovery-target SECONDS] [--pause SECONDS] [--fuzz N] [--topology FILE] [--out DIR]`;

export class DrillUsageError extends Error {}

const INT_FLAGS = {
  users: { min: 2, max: 40_000 },
  cycles: { min: 1, max: 100_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  duration: { min: 0, max: 7 * 86_400 },
  workers: { min: 0, max: 16 },
  rate: { min: 0, max: 100_000 },
  'recovery-target': { min: 1, max: 3_600 },
  pause: { min: 0, max: 86_400 },
  fuzz: { min: 0, max: 10_000_000 },
} as const;

export function parseDrillArgs(argv: readonly string[], now = Date.now()): DrillOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        preset: { type: 'string' },
        out: { type: 'string' },
        topology: { type: 'string' },
        ...Object.fromEntries(Object.keys(INT_FLAGS).map((k) => [k, { type: 'string' as const }])),
      },
    });
  } catch (err) {
    throw new DrillUsageError(`${(err as Error).message}\nUsage: ${DRILL_USAGE}`);
  }
  const v = parsed.values as Record<string, string | undefined>;
  const presetName = v.preset ?? 'full';
  if (presetName !== 'ci' && presetName !== 'full' && presetName !== 'soak')
    throw new DrillUsageError(
      `--preset must be ci, full or soak, not "${presetName}".\nUsage: ${DRILL_USAGE}`,
    );
  const p = PRESETS[presetName];
  const int = (flag: keyof typeof INT_FLAGS, fallback: number): number => {
    const raw = v[flag];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    const { min, max } = INT_FLAGS[flag];
    if (!/^\d+$/.test(raw) || n < min || n > max)
      throw new DrillUsageError(`--${flag} must be a whole number from ${min} to ${max}, not "${raw}".`);
    return n;
  };
  const seed = int('seed', now % 1_000_000);
  return {
    preset: presetName,
    users: int('users', p.users),
    cycles: int('cycles', p.cycles),
    seed,
    durationSeconds: int('duration', p.durationSeconds),
    workers: int('workers', p.workers),
    ratePerSecond: int('rate', p.ratePerSecond),
    recoveryTargetSeconds: int('recovery-target', p.recoveryTargetSeconds),
    pauseSeconds: int('pause', p.pauseSeconds),
    fuzzIterations: int('fuzz', p.fuzzIterations),
    coordinatorKillSteps: p.coordinatorKillSteps,
    out: v.out ?? `drill-results/${presetName}-seed-${seed}`,
    ...(v.topology !== undefined ? { topology: v.topology } : {}),
  };
}

/** The command line that repeats a drill. */
export function reproduceLine(o: DrillOptions): string {
  return `npm run drill -- --preset ${o.preset} --users ${o.users} --cycles ${o.cycles} --seed ${o.seed} --duration ${o.durationSeconds} --workers ${o.workers} --rate ${o.ratePerSecond} --pause ${o.pauseSeconds} --fuzz ${o.fuzzIterations}${o.topology ? ` --topology ${o.topology}` : ''}`;
}
