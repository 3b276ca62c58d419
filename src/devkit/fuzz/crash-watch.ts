/**
 * @module Notices when the target stops accepting connections: the run stops, and one violation names the
 * inputs sent just before, one of which brought the server down.
 */
import { addViolation, type FuzzReport } from './fuzz-report.js';

export class CrashWatch {
  private readonly recent: number[] = [];
  stopped = false;

  sent(input: number): void {
    this.recent.push(input);
    if (this.recent.length > 8) this.recent.shift();
  }

  /** True once the server refused a connection (reported the first time); the run should stop. */
  check(report: FuzzReport, input: number, detail: string | undefined): boolean {
    if (this.stopped) return true;
    if (detail === undefined || !detail.includes('ECONNREFUSED')) return false;
    this.stopped = true;
    addViolation(report, {
      input,
      kind: 'crash',
      detail: `the server stopped accepting connections: one of inputs ${this.recent.join(', ')} brought it down`,
      sample: detail,
    });
    return true;
  }
}
