import { expect, test } from 'vitest';
import { canonicalJson, contentHash } from './hash';

test('canonical JSON sorts keys at every depth and drops undefined members', () => {
  expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  expect(contentHash({ x: 1, y: 2 })).toBe(contentHash({ y: 2, x: 1 }));
  expect(contentHash({ x: 1 })).not.toBe(contentHash({ x: 2 }));
});

test('canonical JSON equals its plain definition, also for odd values', () => {
  // The definition, written plainly (the implementation builds the same text with fewer allocations).
  const plain = (v: unknown): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    if (Array.isArray(v)) return `[${v.map((x) => plain(x === undefined ? null : x)).join(',')}]`;
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${plain(o[k])}`)
      .join(',')}}`;
  };
  const values: unknown[] = [
    { type: 'case.started', at: '2026-03-02T01:00:00.000Z', details: { data: { name: '王小明', amount: 500000, tags: ['a', 'b'] } }, nodeId: 'start' },
    { z: -0, y: NaN, x: Infinity, w: 1e21, v: 5e-7, u: [undefined, 1, null, {}, () => 1], t: '\u2028"\\\n', '': true, 10: 'ten', 2: 'two', é: false, f: () => 1, d: new Date(0) },
    [],
    {},
    'text',
    42,
    null,
    undefined,
  ];
  for (const v of values) expect(canonicalJson(v)).toBe(plain(v));
});
