import { describe, expect, it } from 'vitest';
import { checkJsonShape, fieldOf, topLevelScalar } from './json-shape.js';

const limits = { maxDepth: 3, maxValues: 5 };

describe('checkJsonShape', () => {
  it('measures depth and values outside strings', () => {
    expect(checkJsonShape('{"a":[[1]]}', limits)).toEqual({ ok: true });
    expect(checkJsonShape('{"a":[[[1]]]}', limits)).toEqual({ ok: false, what: 'depth', limit: 3 });
    expect(checkJsonShape('{"a":"[[[[[\\"[[["}', limits)).toEqual({ ok: true });
    expect(checkJsonShape('[1,2,3,4,5,6]', limits)).toEqual({ ok: false, what: 'values', limit: 5 });
    expect(checkJsonShape('["a,b,c,d,e,f"]', limits)).toEqual({ ok: true });
  });
});

describe('topLevelScalar', () => {
  it('reads a top-level member without parsing the rest', () => {
    const deep = '['.repeat(100_000);
    expect(topLevelScalar(`{"type":"x","payload":{"id":1},"id":"r\\"7"}`, 'id')).toBe('"r\\"7"');
    expect(topLevelScalar(`{"id":42,"payload":${deep}`, 'id')).toBe('42');
    expect(topLevelScalar(`{"payload":${deep}`, 'id')).toBeUndefined();
    expect(topLevelScalar(`{"x":"\\"id\\":5"}`, 'id')).toBeUndefined();
  });
});

describe('fieldOf', () => {
  it('reads one field of an unchecked value, and nothing from what is not an object', () => {
    expect(fieldOf({ code: 'X' }, 'code')).toBe('X');
    expect(fieldOf({ code: 'X' }, 'other')).toBeUndefined();
    for (const v of [null, undefined, 'code', 7, ['code']]) expect(fieldOf(v, 'code')).toBeUndefined();
  });
});
