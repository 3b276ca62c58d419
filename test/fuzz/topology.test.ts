/** Damaged topology documents get TOPOLOGY_INVALID naming the field at fault, never another exception. */
import { describe, expect, it } from 'vitest';
import { fuzzTopology } from '../../src/devkit/fuzz/topology-fuzz.js';
import { describeReport } from '../../src/devkit/fuzz/fuzz-report.js';
import { fuzzIterations, fuzzSeed } from './fuzz-settings.js';

describe('topology fuzzing', () => {
  it('answers every damaged document with a clear, field-naming error', () => {
    const report = fuzzTopology(fuzzSeed(20_260_702), fuzzIterations(1_500));
    console.log(describeReport(report), JSON.stringify(report.outcomes));
    expect(report.violations, describeReport(report)).toEqual([]);
    expect(report.outcomes.TOPOLOGY_INVALID ?? 0).toBeGreaterThan(0);
    expect(report.outcomes.issues ?? 0).toBeGreaterThan(0);
  });
});
