/** Random and damaged command lines bind or fail with a registry error, never a TypeError or a stall. */
import { describe, expect, it } from 'vitest';
import { fuzzCmdletGrammar } from '../../src/devkit/fuzz/cmdlet-grammar-fuzz.js';
import { describeReport } from '../../src/devkit/fuzz/fuzz-report.js';
import { fuzzIterations, fuzzSeed } from './fuzz-settings.js';

describe('cmdlet grammar fuzzing', () => {
  it('answers every damaged command line with a clear shell error', () => {
    const report = fuzzCmdletGrammar(fuzzSeed(20_260_703), fuzzIterations(5_000));
    console.log(describeReport(report), JSON.stringify(report.outcomes));
    expect(report.violations, describeReport(report)).toEqual([]);
    expect(report.outcomes.SHELL_SYNTAX ?? 0).toBeGreaterThan(0);
    expect(report.outcomes.ok ?? 0).toBeGreaterThan(0);
  });
});
