import { expect, test } from 'vitest';
import { depthExceeds } from './body';

test('nesting depth is measured without recursion, arrays and objects alike', () => {
  const nest = (n: number): unknown => (n === 0 ? 1 : n % 2 ? [nest(n - 1)] : { a: nest(n - 1) });
  expect(depthExceeds(nest(64), 64)).toBe(false);
  expect(depthExceeds(nest(65), 64)).toBe(true);
  let deep: unknown = 0;
  for (let i = 0; i < 200_000; i++) deep = [deep];
  expect(depthExceeds(deep, 64)).toBe(true);
  expect(depthExceeds('text', 1)).toBe(false);
});
