/**
 * @module What a fuzz run found: how many inputs it sent, the error codes they drew, and every violation
 * (a crash, an internal error, a hang, an answer outside the contract) with the input that caused it.
 */

export interface FuzzViolation {
  /** Index of the input in the run: rerun with the same seed to get it again. */
  readonly input: number;
  readonly kind: string;
  readonly detail: string;
  /** The start of the input, for the report. */
  readonly sample: string;
}

export interface FuzzReport {
  readonly target: string;
  readonly seed: number;
  inputs: number;
  /** Answers by error code (`ok` for a success, `close:<code>` for a closed connection). */
  readonly outcomes: Record<string, number>;
  readonly violations: FuzzViolation[];
  elapsedMs: number;
}

export function newReport(target: string, seed: number): FuzzReport {
  return { target, seed, inputs: 0, outcomes: {}, violations: [], elapsedMs: 0 };
}

export function countOutcome(report: FuzzReport, outcome: string): void {
  report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
}

/** Keeps at most `limit` violations: one bug tends to repeat across thousands of inputs. */
export function addViolation(
  report: FuzzReport,
  v: { input: number; kind: string; detail: string; sample: unknown },
  limit = 50,
): void {
  if (report.violations.length >= limit) return;
  report.violations.push({ ...v, sample: preview(v.sample) });
}

export function preview(value: unknown, max = 300): string {
  const text = Buffer.isBuffer(value)
    ? `<${value.length} bytes> ${value.subarray(0, max).toString('utf8')}`
    : typeof value === 'string'
      ? value
      : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** One line per violation, for a test failure message or the drill's log. */
export function describeReport(report: FuzzReport): string {
  const head = `${report.target} seed ${report.seed}: ${report.inputs} inputs in ${report.elapsedMs} ms, ${report.violations.length} violation(s)`;
  return [
    head,
    ...report.violations.map((v) => `  #${v.input} ${v.kind}: ${v.detail}\n    input: ${v.sample}`),
  ].join('\n');
}
