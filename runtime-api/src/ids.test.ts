import { expect, test } from 'vitest';
import { newId } from './ids';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are RFC 9562 version 7 UUIDs carrying their millisecond', () => {
  const at = Date.parse('2026-03-02T01:00:00.000Z');
  const id = newId(at);
  expect(id).toMatch(UUID);
  expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
});

test('ids sort in the order they were made, also within one millisecond and when the clock steps back', () => {
  const at = Date.parse('2027-01-01T00:00:00.000Z');
  const ids = [newId(at), newId(at), newId(at), newId(at + 5), newId(at + 1), ...Array.from({ length: 5000 }, () => newId(at + 6))];
  for (const id of ids) expect(id).toMatch(UUID);
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

test('ids differ in their random part', () => {
  const tails = new Set(Array.from({ length: 1000 }, () => newId().slice(19)));
  expect(tails.size).toBe(1000);
});
