import { describe, expect, it } from 'vitest';
import { TandemError } from '../errors/index.js';
import { parseTopology } from './parse-topology.js';
import { TopologyLimits } from './yaml-limits.js';

function detailsOf(text: string): string {
  try {
    parseTopology(text, { dataDir: '/var/lib/tandem', sourceName: 'big.yaml' });
  } catch (err) {
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('TOPOLOGY_INVALID');
    return String((err as TandemError).params.details);
  }
  throw new Error('expected the topology to be rejected');
}

const mapping = (keys: number, indent = '  ') =>
  Array.from({ length: keys }, (_, i) => `${indent}k${i}: ${i}`).join('\n');

describe('topology size limits', () => {
  it('refuses a document over the size limit, before parsing it, without quoting it', () => {
    const text = `name: x\nnote: "${'a'.repeat(TopologyLimits.maxBytes)}"\n`;
    const details = detailsOf(text);
    expect(details).toContain(`the limit is ${TopologyLimits.maxBytes} bytes`);
    expect(details).not.toContain('aaaa');
  });

  it('refuses a mapping with too many keys (yaml’s own duplicate check is quadratic in them)', () => {
    const details = detailsOf(`name: x\nextra:\n${mapping(60_000)}\n`);
    expect(details).toContain(`the limit is ${TopologyLimits.maxKeysPerMapping}`);
  });

  it('refuses flow nesting 200,000 deep with a limit, not a stack overflow', () => {
    const details = detailsOf(`name: ${'['.repeat(200_000)}`);
    expect(details).toContain(`more than ${TopologyLimits.maxDepth} levels deep`);
  });

  it('refuses block nesting past the depth limit', () => {
    let text = '';
    for (let i = 0; i < TopologyLimits.maxDepth + 5; i++) text += `${' '.repeat(i)}k${i}:\n`;
    expect(detailsOf(text)).toContain(`more than ${TopologyLimits.maxDepth} levels deep`);
  });

  it('refuses a list with too many items', () => {
    const items = Array.from({ length: TopologyLimits.maxItemsPerSequence + 1 }, () => '  - 1').join('\n');
    expect(detailsOf(`name: x\nextra:\n${items}\n`)).toContain(
      `the limit is ${TopologyLimits.maxItemsPerSequence}`,
    );
  });

  it('still finds duplicate keys in a mapping at the key limit, naming the line', () => {
    const text = `name: x\nextra:\n${mapping(TopologyLimits.maxKeysPerMapping - 1)}\n  k7: again\n`;
    expect(detailsOf(text)).toMatch(/big\.yaml line \d+, column 3: YAML syntax error: .*unique.*'k7'/);
  });
});
