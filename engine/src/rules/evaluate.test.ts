import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusinessCalendar } from '../calendar';
import { RuleEvaluationError, applyRule, evaluateRule, ruleOperations, type RuleContext } from './index';

const ERROR_CODES = ['rule.budget.exceeded', 'rule.operation.unknown', 'rule.depth.exceeded', 'rule.evaluation.failed'];

afterEach(() => {
  vi.restoreAllMocks();
});

function nested(op: string, depth: number, leaf: unknown): unknown {
  let rule = leaf;
  for (let i = 0; i < depth; i++) rule = { [op]: [rule] };
  return rule;
}

describe('reading case data', () => {
  it('records every case field read, with the value seen, for the audit trail', () => {
    const rule = {
      and: [{ '>=': [{ var: 'loan.amount' }, 100000] }, { '==': [{ var: ['customer.tier', 'standard'] }, 'gold'] }, { '!': { var: 'blacklisted' } }],
    };
    const r = evaluateRule(rule, { loan: { amount: 300000 }, customer: {}, blacklisted: false });
    expect(r).toEqual({ result: false, reads: { 'loan.amount': 300000, 'customer.tier': null } });
  });

  it('records the fields missing checks and the path a computed var resolved to', () => {
    expect(evaluateRule({ missing: ['a', 'b'] }, { a: 1 }).reads).toEqual({ a: 1, b: null });
    const dynamic = { var: { cat: ['limits.', { var: 'product' }] } };
    const r = evaluateRule(dynamic, { product: 'sme', limits: { sme: 5_000_000 } });
    expect(r.result).toBe(5_000_000);
    expect(r.reads).toEqual({ product: 'sme', 'limits.sme': 5_000_000 });
  });

  it('keeps the values as they were seen when the case data changes later', () => {
    const data = { customer: { tier: 'standard' }, loans: [{ balance: 1 }] };
    const r = evaluateRule({ and: [{ var: 'customer' }, { var: 'loans' }] }, data);
    data.customer.tier = 'gold';
    data.loans.push({ balance: 2 });
    expect(r.reads).toEqual({ customer: { tier: 'standard' }, loans: [{ balance: 1 }] });
  });

  it('does not record reads of list items inside map, filter and reduce', () => {
    const rule = { reduce: [{ filter: [{ var: 'loans' }, { '>': [{ var: 'balance' }, 0] }] }, { '+': [{ var: 'accumulator' }, { var: 'current.balance' }] }, 0] };
    const loans = [{ balance: 100 }, { balance: 0 }, { balance: 50 }];
    expect(evaluateRule(rule, { loans })).toEqual({ result: 150, reads: { loans } });
  });
});

describe('safety against hostile rules', () => {
  const data = { a: { b: 1 }, name: 'Zhang', items: [1, 2, 3], n: 5 };

  it.each([
    ['constructor'],
    ['__proto__'],
    ['prototype'],
    ['a.constructor.name'],
    ['a.constructor.constructor'],
    ['toString'],
    ['hasOwnProperty'],
    ['valueOf'],
    ['items.map'],
    ['items.constructor'],
    ['name.toUpperCase'],
    ['n.toFixed'],
    ['a.__proto__.polluted'],
  ])('{"var": %j} reads nothing outside the data', (path) => {
    const r = evaluateRule({ var: path }, data);
    expect(r.error).toBeUndefined();
    expect(r.result).toBeNull();
    expect(applyRule({ var: path }, data)).toBeNull();
  });

  it('still reads own data, array and text lengths and array items', () => {
    expect(applyRule({ var: 'items.length' }, data)).toBe(3);
    expect(applyRule({ var: 'items.1' }, data)).toBe(2);
    expect(applyRule({ var: 'name.length' }, data)).toBe(5);
    expect(applyRule({ var: 'name.0' }, data)).toBe('Z');
    expect(applyRule({ var: 'length' }, ['x', 'y'])).toBe(2);
  });

  it('ignores an own "__proto__" key in parsed data and never pollutes prototypes', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"x": 1}}') as unknown;
    expect(applyRule({ var: '__proto__.polluted' }, hostile)).toBeNull();
    expect(applyRule({ var: 'constructor.x' }, hostile)).toBeNull();
    const rule = JSON.parse('{"__proto__": [1]}') as unknown;
    expect(evaluateRule(rule, {}).error?.code).toBe('rule.operation.unknown');
    expect(evaluateRule({ var: '__proto__' }, {}).reads).toEqual(JSON.parse('{"__proto__": null}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not read through objects that are not plain data', () => {
    class Customer {
      secret = 'x';
    }
    expect(applyRule({ var: 'c.secret' }, { c: new Customer() })).toBeNull();
    expect(applyRule({ var: 'd.getTime' }, { d: new Date(0) })).toBeNull();
    expect(applyRule({ var: 'f.name' }, { f: () => 1 })).toBeNull();
  });

  it('refuses operations outside the allowed set, including log and dotted paths into operations', () => {
    const { console: out } = globalThis as unknown as { console: { log: (...args: unknown[]) => void } };
    const log = vi.spyOn(out, 'log').mockImplementation(() => undefined);
    for (const op of ['log', 'method', 'var.prototype.constructor', 'var.call', 'constructor', 'eval', 'hasOwnProperty']) {
      const r = evaluateRule({ [op]: ['x'] }, {});
      expect(r.error).toEqual({ code: 'rule.operation.unknown', message: `unknown operation "${op}"`, params: { operation: op } });
    }
    expect(log).not.toHaveBeenCalled();
  });

  it('keeps the safe var for code that calls json-logic-js directly', () => {
    expect(jsonLogic.apply({ var: 'constructor' }, {})).toBeNull();
  });
});

describe('evaluation budget', () => {
  it('stops a reduce over a million-element list quickly', () => {
    const xs = Array.from({ length: 1_000_000 }, (_, i) => i);
    const t0 = Date.now();
    const r = evaluateRule({ reduce: [{ var: 'xs' }, { '+': [{ var: 'accumulator' }, { var: 'current' }] }, 0] }, { xs });
    expect(r.error).toMatchObject({ code: 'rule.budget.exceeded', params: { limit: 100_000 } });
    expect(r.result).toBeNull();
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('stops nested maps', () => {
    const rows = Array.from({ length: 1000 }, () => Array.from({ length: 1000 }, (_, i) => i));
    const r = evaluateRule({ map: [{ var: 'rows' }, { map: [{ var: '' }, { '+': [{ var: '' }, 1] }] }] }, { rows });
    expect(r.error?.code).toBe('rule.budget.exceeded');
  });

  it('stops a rule that doubles a list or a text on every step before it exhausts memory', () => {
    const xs = Array.from({ length: 64 }, (_, i) => i);
    const lists = evaluateRule({ reduce: [{ var: 'xs' }, { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]] }, { xs });
    expect(lists.error?.code).toBe('rule.budget.exceeded');
    const texts = evaluateRule({ reduce: [{ var: 'xs' }, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'] }, { xs });
    expect(texts.error?.code).toBe('rule.budget.exceeded');
  });

  it('lets ordinary rules over ordinary lists finish', () => {
    const loans = Array.from({ length: 2000 }, (_, i) => ({ id: `L${i}`, balance: i, overdueDays: i % 120 }));
    const rule = { reduce: [{ filter: [{ var: 'loans' }, { '>': [{ var: 'overdueDays' }, 90] }] }, { '+': [{ var: 'accumulator' }, { var: 'current.balance' }] }, 0] };
    const r = evaluateRule(rule, { loans });
    expect(r.error).toBeUndefined();
    expect(r.result).toBe(loans.filter((l) => l.overdueDays > 90).reduce((s, l) => s + l.balance, 0));
  });

  it('honours a custom step limit', () => {
    const rule = { '+': [1, 2, 3, 4, 5, 6, 7, 8] };
    expect(evaluateRule(rule, {}, {}, { maxSteps: 5 }).error?.code).toBe('rule.budget.exceeded');
    expect(evaluateRule(rule, {}, {}, { maxSteps: 50 }).result).toBe(36);
  });

  it('starts every evaluation with a fresh budget, also after a failure', () => {
    const xs = Array.from({ length: 200_000 }, (_, i) => i);
    expect(evaluateRule({ map: [{ var: 'xs' }, 1] }, { xs }).error?.code).toBe('rule.budget.exceeded');
    expect(evaluateRule({ '+': [1, 1] }, {}, {}, { maxSteps: 4 })).toEqual({ result: 2, reads: {} });
    const throwing: RuleContext = {
      isInList: () => {
        throw new Error('list service unavailable');
      },
    };
    expect(evaluateRule({ inList: ['blacklist', 'x'] }, {}, throwing).error).toMatchObject({
      code: 'rule.evaluation.failed',
      params: { reason: 'list service unavailable' },
    });
    expect(evaluateRule({ var: 'a' }, { a: 1 })).toEqual({ result: 1, reads: { a: 1 } });
  });

  it('refuses rules nested deeper than the limit', () => {
    expect(evaluateRule(nested('!', 32, true), {}).error).toBeUndefined();
    expect(evaluateRule(nested('!', 33, true), {}).error).toMatchObject({ code: 'rule.depth.exceeded', params: { depth: 33, limit: 32 } });
    expect(evaluateRule(nested('!', 100_000, true), {}).error?.code).toBe('rule.depth.exceeded');
    expect(evaluateRule(nested('!', 40, true), {}, {}, { maxDepth: 64 }).error).toBeUndefined();
  });

  it('keeps evaluations that run inside a list lookup apart', () => {
    const ctx: RuleContext = {
      isInList: (list, value) => {
        const inner = evaluateRule({ in: [{ var: 'v' }, ['A', 'B']] }, { v: value });
        expect(inner.reads).toEqual({ v: value });
        return list === 'vip' && inner.result === true;
      },
    };
    const r = evaluateRule({ inList: ['vip', { var: 'code' }] }, { code: 'B' }, ctx);
    expect(r).toEqual({ result: true, reads: { code: 'B' } });
  });
});

describe('errors', () => {
  it('applyRule throws a coded error; evaluateRule returns it', () => {
    expect(() => applyRule({ nope: [] })).toThrow(RuleEvaluationError);
    try {
      applyRule({ nope: [] });
    } catch (e) {
      expect(e).toMatchObject({ code: 'rule.operation.unknown', params: { operation: 'nope' } });
    }
    expect(evaluateRule({ nope: [] }, {}).result).toBeNull();
  });

  it('evaluateRule never throws, whatever the rule and data', () => {
    const op = fc.constantFrom(...ruleOperations.map((o) => o.name), 'log', 'unknown', 'var.x');
    const { rule } = fc.letrec((tie) => ({
      rule: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 2 }),
        fc.record({ var: fc.oneof(fc.string(), fc.constantFrom('a', 'a.b', 'items.0', 'constructor', '__proto__', '')) }),
        fc.tuple(op, fc.array(tie('rule'), { maxLength: 4 })).map(([o, args]) => ({ [o]: args })),
        fc.tuple(op, tie('rule')).map(([o, arg]) => ({ [o]: arg })),
      ),
    }));
    const data = fc.oneof(fc.jsonValue(), fc.constant({ a: { b: [1, 'x'] }, items: [{ q: 1 }, { q: 2 }], d: '2026-02-14' }));
    fc.assert(
      fc.property(rule, data, (r, d) => {
        const out = evaluateRule(r, d, { now: '2026-03-02T01:00:00Z', isInList: () => true });
        expect(out).toHaveProperty('reads');
        if (out.error) expect(ERROR_CODES).toContain(out.error.code);
      }),
      { numRuns: 500 },
    );
  });
});

describe('extra operations', () => {
  const ctx: RuleContext = {
    now: '2026-03-06T02:00:00.000Z', // Friday 10:00 in Beijing
    isInList: (list, value) => list === 'sme-whitelist' && value === '91310000MA1K',
  };
  const ev = (rule: unknown, data: unknown = {}, c: RuleContext = ctx): unknown => {
    const r = evaluateRule(rule, data, c);
    expect(r.error).toBeUndefined();
    return r.result;
  };

  it('inList asks the runtime, and is false without a list service', () => {
    expect(ev({ inList: ['sme-whitelist', { var: 'code' }] }, { code: '91310000MA1K' })).toBe(true);
    expect(ev({ inList: ['sme-whitelist', 'other'] })).toBe(false);
    expect(ev({ inList: ['sme-whitelist', '91310000MA1K'] }, {}, {})).toBe(false);
    expect(ev({ inList: [42, '91310000MA1K'] })).toBe(false);
    expect(ev({ inList: ['x', 'y'] }, {}, { isInList: () => 'yes' as unknown as boolean })).toBe(false);
  });

  it('now is the step time in UTC, or null without one', () => {
    expect(ev({ now: [] }, {}, { now: '2026-03-06T10:00:00+08:00' })).toBe('2026-03-06T02:00:00.000Z');
    expect(ev({ now: [] }, {}, {})).toBeNull();
    expect(ev({ now: [] }, {}, { now: 'yesterday' })).toBeNull();
  });

  it('addDuration works in calendar time by default and in working time on request', () => {
    expect(ev({ addDuration: [{ now: [] }, 'PT4H'] })).toBe('2026-03-06T06:00:00.000Z');
    expect(ev({ addDuration: [{ now: [] }, 'PT8H', 'working'] })).toBe('2026-03-09T02:00:00.000Z');
    expect(ev({ addDuration: [{ now: [] }, 'T+1', 'working'] })).toBe('2026-03-09T09:00:00.000Z');
    expect(ev({ addDuration: ['2026-02-13T16:00:00+08:00', 'PT4H', 'working'] })).toBe('2026-02-14T04:00:00.000Z');
  });

  it('addDuration uses the calendar from the context', () => {
    const sevenDays: BusinessCalendar = {
      id: 'every-day',
      name: { 'zh-CN': '每天', en: 'Every day' },
      utcOffset: '+08:00',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      workingHours: [{ start: '08:00', end: '20:00' }],
      holidays: [],
      workdays: [],
    };
    expect(ev({ addDuration: ['2026-03-06T19:00:00+08:00', 'PT2H', 'working'] }, {}, { calendar: sevenDays })).toBe('2026-03-07T01:00:00.000Z');
  });

  it('time operations give null, not an error, for input that is not a time', () => {
    expect(ev({ addDuration: ['soon', 'PT1H'] })).toBeNull();
    expect(ev({ addDuration: [{ now: [] }, 'P1M'] })).toBeNull();
    expect(ev({ addDuration: [{ now: [] }, 'PT1H', 'weekdays'] })).toBeNull();
    expect(ev({ workingHoursBetween: ['2026-02-30', { now: [] }] })).toBeNull();
    expect(ev({ workingDaysBetween: [null, { now: [] }] })).toBeNull();
    expect(ev({ hoursBetween: [1, 2] })).toBeNull();
    expect(ev({ daysBetween: ['2026-03-01', 'x'] })).toBeNull();
    expect(ev({ isWorkingDay: ['2026-13-01'] })).toBeNull();
    expect(ev({ ageInYears: [{ var: 'birthDate' }] }, {})).toBeNull();
  });

  it('measures working hours and working days, negative when the end is earlier', () => {
    expect(ev({ workingHoursBetween: ['2026-03-06T15:00:00+08:00', '2026-03-09T11:00:00+08:00'] })).toBe(4);
    expect(ev({ workingHoursBetween: ['2026-03-09T11:00:00+08:00', '2026-03-06T15:00:00+08:00'] })).toBe(-4);
    expect(ev({ workingDaysBetween: ['2026-02-13T09:00:00+08:00', '2026-02-25T09:00:00+08:00'] })).toBe(3);
    expect(ev({ workingDaysBetween: ['2026-03-02T09:00:00+08:00', '2026-03-04T13:00:00+08:00'] })).toBe(2.5);
  });

  it('measures elapsed hours and days; a date alone is midnight in the calendar offset', () => {
    expect(ev({ hoursBetween: ['2026-03-06T15:00:00+08:00', '2026-03-09T11:00:00+08:00'] })).toBe(68);
    expect(ev({ daysBetween: ['2026-01-01', '2026-03-01'] })).toBe(59);
    expect(ev({ daysBetween: ['2026-03-01', '2026-03-01T12:00:00+08:00'] })).toBe(0.5);
    expect(ev({ daysBetween: ['2026-03-02', '2026-03-01'] })).toBe(-1);
  });

  it('isWorkingDay follows the business calendar', () => {
    expect(ev({ isWorkingDay: ['2026-02-14'] })).toBe(true);
    expect(ev({ isWorkingDay: ['2026-02-16'] })).toBe(false);
    expect(ev({ isWorkingDay: { now: [] } })).toBe(true);
  });

  it('ageInYears counts completed years in Beijing time, the birthday included', () => {
    expect(ev({ ageInYears: '2008-03-06' })).toBe(18);
    expect(ev({ ageInYears: '2008-03-07' })).toBe(17);
    // 16:30Z on 6 March is already 7 March in Beijing.
    expect(ev({ ageInYears: '2008-03-07' }, {}, { now: '2026-03-06T16:30:00Z' })).toBe(18);
    expect(ev({ ageInYears: '2008-02-29' }, {}, { now: '2026-02-28T04:00:00Z' })).toBe(17);
    expect(ev({ ageInYears: '2008-02-29' }, {}, { now: '2026-03-01T04:00:00Z' })).toBe(18);
    expect(ev({ ageInYears: '2030-01-01' })).toBeNull();
    expect(ev({ ageInYears: '2000-01-01' }, {}, {})).toBeNull();
  });
});

describe('banking rules', () => {
  const ctx: RuleContext = {
    now: '2026-03-09T06:00:00Z', // Monday 14:00 Beijing
    isInList: (list, value) => (list === 'sme-whitelist' && value === 'C-1') || (list === 'aml-high-risk' && value === 'C-9'),
  };

  it('pre-credit whitelist: a whitelisted applicant under the pre-approved limit is approved instantly', () => {
    const rule = { and: [{ inList: ['sme-whitelist', { var: 'applicant.creditCode' }] }, { '<=': [{ var: 'loan.amount' }, { var: 'applicant.preApprovedLimit' }] }] };
    expect(evaluateRule(rule, { applicant: { creditCode: 'C-1', preApprovedLimit: 500000 }, loan: { amount: 300000 } }, ctx)).toEqual({
      result: true,
      reads: { 'applicant.creditCode': 'C-1', 'loan.amount': 300000, 'applicant.preApprovedLimit': 500000 },
    });
    expect(evaluateRule(rule, { applicant: { creditCode: 'C-2', preApprovedLimit: 500000 }, loan: { amount: 300000 } }, ctx).result).toBe(false);
  });

  it('debt ratio above 50 % flags the case', () => {
    const rule = { '>': [{ '/': [{ var: 'monthlyDebt' }, { var: 'monthlyIncome' }] }, 0.5] };
    expect(applyRule(rule, { monthlyDebt: 9000, monthlyIncome: 15000 })).toBe(true);
    expect(applyRule(rule, { monthlyDebt: 6000, monthlyIncome: 15000 })).toBe(false);
  });

  it('amount thresholds route to the approver level', () => {
    const rule = { if: [{ '>=': [{ var: 'amount' }, 5_000_000] }, 'head-office', { '>=': [{ var: 'amount' }, 500_000] }, 'branch-head', 'teller'] };
    expect([100, 500_000, 8_000_000].map((amount) => applyRule(rule, { amount }))).toEqual(['teller', 'branch-head', 'head-office']);
  });

  it('first review within 4 working hours of submission', () => {
    const rule = { '<=': [{ workingHoursBetween: [{ var: 'submittedAt' }, { now: [] }] }, 4] };
    // Submitted Friday 15:00: by Monday 14:00 that is 2 + 5 = 7 working hours.
    expect(evaluateRule(rule, { submittedAt: '2026-03-06T15:00:00+08:00' }, ctx).result).toBe(false);
    // Submitted Monday 11:00: 3 working hours.
    expect(evaluateRule(rule, { submittedAt: '2026-03-09T11:00:00+08:00' }, ctx).result).toBe(true);
  });

  it('a high-risk customer stops the case', () => {
    expect(evaluateRule({ inList: ['aml-high-risk', { var: 'customerId' }] }, { customerId: 'C-9' }, ctx).result).toBe(true);
  });
});
