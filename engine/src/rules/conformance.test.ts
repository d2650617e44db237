/**
 * The official JsonLogic test suite (https://jsonlogic.com/tests.json, copied unchanged into
 * fixtures/) run through applyRule: Flowpath's safety layer must not change standard semantics.
 */
import { describe, expect, it } from 'vitest';
import suite from './fixtures/jsonlogic-tests.json';
import { applyRule, evaluateRule } from './index';

type Case = [rule: unknown, data: unknown, expected: unknown];

const cases: { section: string; rule: unknown; data: unknown; expected: unknown }[] = [];
let section = '';
for (const entry of suite as unknown[]) {
  if (typeof entry === 'string') section = entry;
  else {
    const [rule, data, expected] = entry as Case;
    cases.push({ section, rule, data, expected });
  }
}

describe('JsonLogic conformance suite', () => {
  it('has every case of the published suite', () => {
    expect(cases).toHaveLength(267);
  });

  it.each(cases.map((c, i) => [i, c.section, JSON.stringify(c.rule), c] as const))('case %i (%s): %s', (_i, _s, _r, c) => {
    expect(applyRule(c.rule, c.data)).toEqual(c.expected);
    const evaluation = evaluateRule(c.rule, c.data);
    expect(evaluation.error).toBeUndefined();
    expect(evaluation.result).toEqual(c.expected);
  });

  // Not in tests.json: the substr examples of https://jsonlogic.com/operations.html.
  it.each([
    [['jsonlogic', 4], 'logic'],
    [['jsonlogic', -5], 'logic'],
    [['jsonlogic', 1, 3], 'son'],
    [['jsonlogic', 4, -2], 'log'],
  ])('substr %j', (args, expected) => {
    expect(applyRule({ substr: args })).toBe(expected);
  });
});
