import { describe, expect, it } from 'vitest';
import { calendarMessages } from '../calendar/messages';
import { evaluateRule, ruleOperations } from './index';
import { ruleMessages } from './messages';

const STANDARD = ['var', 'missing', 'missing_some', 'if', '?:', 'and', 'or', '!', '!!', '==', '===', '!=', '!==', '>', '>=', '<', '<=', 'in', '+', '-', '*', '/', '%', 'min', 'max', 'map', 'filter', 'reduce', 'all', 'some', 'none', 'merge', 'cat', 'substr'];
const EXTRA = ['inList', 'now', 'addDuration', 'workingHoursBetween', 'workingDaysBetween', 'hoursBetween', 'daysBetween', 'isWorkingDay', 'ageInYears'];

describe('ruleOperations', () => {
  it('lists json-logic-js’s standard operations without log, plus the Flowpath extras', () => {
    expect(ruleOperations.filter((o) => !o.extra).map((o) => o.name).sort()).toEqual([...STANDARD].sort());
    expect(ruleOperations.filter((o) => o.extra).map((o) => o.name).sort()).toEqual([...EXTRA].sort());
  });

  it('describes every operation in both languages', () => {
    for (const op of ruleOperations) {
      expect(op.description.en.length, op.name).toBeGreaterThan(5);
      expect(op.description['zh-CN'].length, op.name).toBeGreaterThan(2);
      expect(op.args.startsWith('['), op.name).toBe(true);
    }
  });

  it.each(ruleOperations.map((o) => [o.name, o] as const))('the example of %s gives its stated result', (_name, op) => {
    const { rule, data, now, lists, result } = op.example;
    const isInList = lists ? (list: string, value: unknown) => (lists[list] ?? []).includes(value) : undefined;
    const r = evaluateRule(rule, data ?? {}, { ...(now ? { now } : {}), ...(isInList ? { isInList } : {}) });
    expect(r.error).toBeUndefined();
    expect(r.result).toEqual(result);
    expect(Object.keys(rule as object)).toEqual([op.name]);
  });
});

describe('messages', () => {
  const codes = [
    'rule.invalid',
    'rule.operation.unknown',
    'rule.depth.exceeded',
    'rule.size.exceeded',
    'rule.var.unknown',
    'rule.var.forbidden',
    'rule.var.dynamic',
    'rule.budget.exceeded',
    'rule.evaluation.failed',
  ];

  it('has a message in both languages for every rule code', () => {
    expect(Object.keys(ruleMessages).sort()).toEqual([...codes].sort());
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (s: string): string[] => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] as string).sort();
    for (const [code, m] of Object.entries({ ...ruleMessages, ...calendarMessages })) {
      expect(placeholders(m['zh-CN']), code).toEqual(placeholders(m.en));
    }
  });
});
