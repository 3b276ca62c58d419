import { describe, expect, it } from 'vitest';
import { leaks, memoryTrends } from './drill-report.js';
import type { MemorySample } from './drill-monitor.js';

const MIB = 1_048_576;

function samples(server: string, pid: number, rssMiB: (i: number) => number, n = 20): MemorySample[] {
  return Array.from({ length: n }, (_, i) => ({ at: i * 1000, server, pid, rssBytes: rssMiB(i) * MIB }));
}

describe('drill memory figures', () => {
  const steady = samples('atl', 1, (i) => 100 + (i % 3));
  const growing = samples('dal', 2, (i) => 100 + i * 20);
  const restarted = samples('atl', 3, () => 90, 4);
  const all = [...steady, ...growing, ...restarted].sort((a, b) => a.at - b.at);

  it('reports first, last and peak RSS per process, in the order the processes were first seen', () => {
    expect(memoryTrends(all)).toEqual([
      { server: 'atl', pid: 1, samples: 20, firstMiB: 100, lastMiB: 101, peakMiB: 102 },
      { server: 'dal', pid: 2, samples: 20, firstMiB: 100, lastMiB: 480, peakMiB: 480 },
      { server: 'atl', pid: 3, samples: 4, firstMiB: 90, lastMiB: 90, peakMiB: 90 },
    ]);
  });

  it('flags only the process whose memory keeps growing', () => {
    const found = leaks(all);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^dal \(pid 2\): RSS grew from \d+ MiB to \d+ MiB$/);
  });
});
