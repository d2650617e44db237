import { expect, test } from 'vitest';
import { canonicalJson, contentHash } from './hash';

test('canonical JSON sorts keys at every depth and drops undefined members', () => {
  expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  expect(contentHash({ x: 1, y: 2 })).toBe(contentHash({ y: 2, x: 1 }));
  expect(contentHash({ x: 1 })).not.toBe(contentHash({ x: 2 }));
});
