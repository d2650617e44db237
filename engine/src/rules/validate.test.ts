import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseSchema, Issue } from '../model';
import { defaultRuleLimits, evaluateRule, ruleOperations, ruleVars, validateRule } from './index';

const schema: CaseSchema = {
  type: 'object',
  properties: {
    amount: { type: 'number' },
    customer: {
      type: 'object',
      properties: {
        tier: { type: 'string' },
        name: { type: 'string' },
        address: { type: 'object' },
      },
    },
    loans: { type: 'array', items: { type: 'object', properties: { balance: { type: 'number' } } } },
    tags: { type: 'array' },
    extra: {},
  },
};

const at = '/nodes/3/rules/0/when';

function brief(issues: Issue[]): [string, string, Record<string, unknown>][] {
  return issues.map((i) => [i.code, i.path, i.params]);
}

function nested(depth: number): unknown {
  let rule: unknown = true;
  for (let i = 0; i < depth; i++) rule = { '!': [rule] };
  return rule;
}

describe('validateRule', () => {
  it('accepts a valid rule over declared fields', () => {
    const rule = {
      and: [
        { '>=': [{ var: 'amount' }, 100000] },
        { in: [{ var: 'customer.tier' }, ['gold', 'platinum']] },
        { '>': [{ var: 'loans.length' }, 0] },
        { '==': [{ var: 'loans.0.balance' }, 0] },
        { '<': [{ var: 'customer.name.length' }, 40] },
        { '!!': { var: 'customer.address.city' } },
        { '!!': { var: 'extra.anything.below' } },
        { '!!': { var: 'tags.3' } },
        { '!': { missing: ['amount', 'customer.tier'] } },
      ],
    };
    expect(validateRule(rule, { path: at, caseSchema: schema })).toEqual([]);
  });

  it('reports an unknown operation at its exact place', () => {
    const rule = { and: [{ var: 'amount' }, { foo: [1] }, { log: 'x' }] };
    expect(brief(validateRule(rule, { path: at }))).toEqual([
      ['rule.operation.unknown', `${at}/and/1/foo`, { operation: 'foo' }],
      ['rule.operation.unknown', `${at}/and/2/log`, { operation: 'log' }],
    ]);
  });

  it('reports fields the case schema does not declare, pointing at the var', () => {
    const rule = { and: [{ '>': [{ var: 'amount' }, 1] }, { '==': [{ var: ['customer.grade', 'x'] }, 'x'] }, { var: 'loans.first' }] };
    expect(brief(validateRule(rule, { path: at, caseSchema: schema }))).toEqual([
      ['rule.var.unknown', `${at}/and/1/==/0/var/0`, { field: 'customer.grade' }],
      ['rule.var.unknown', `${at}/and/2/var`, { field: 'loans.first' }],
    ]);
    expect(brief(validateRule({ var: 'amount.value' }, { path: '', caseSchema: schema }))).toEqual([
      ['rule.var.unknown', '/var', { field: 'amount.value' }],
    ]);
  });

  it('does not check paths inside map, filter, reduce, all, some and none against the case schema', () => {
    const rule = {
      and: [
        { all: [{ var: 'loans' }, { '>=': [{ var: 'balance' }, 0] }] },
        { some: [{ var: 'loans' }, { var: 'flagged' }] },
        { none: [{ var: 'loans' }, { map: [{ var: 'items' }, { var: 'x' }] }] },
        { '>': [{ reduce: [{ var: 'loans' }, { '+': [{ var: 'accumulator' }, { var: 'current.balance' }] }, { var: 'amount' }] }, 0] },
        { filter: [{ var: 'nope' }, { var: 'whatever' }] },
      ],
    };
    expect(brief(validateRule(rule, { path: at, caseSchema: schema }))).toEqual([
      ['rule.var.unknown', `${at}/and/4/filter/0/var`, { field: 'nope' }],
    ]);
  });

  it('checks the fields missing and missing_some name', () => {
    const rule = { or: [{ missing: ['amount', 'customer.age'] }, { missing_some: [1, ['customer.tier', 'phone']] }, { missing: 'fax' }] };
    expect(brief(validateRule(rule, { path: at, caseSchema: schema }))).toEqual([
      ['rule.var.unknown', `${at}/or/0/missing/1`, { field: 'customer.age' }],
      ['rule.var.unknown', `${at}/or/1/missing_some/1/1`, { field: 'phone' }],
      ['rule.var.unknown', `${at}/or/2/missing`, { field: 'fax' }],
    ]);
  });

  it('accepts extra readable paths and everything below them', () => {
    const rule = { and: [{ var: 'case.priority' }, { var: 'case.meta.channel' }] };
    expect(validateRule(rule, { path: at, caseSchema: schema, extraVars: ['case'] })).toEqual([]);
    expect(validateRule(rule, { path: at, caseSchema: schema }).map((i) => i.code)).toEqual(['rule.var.unknown', 'rule.var.unknown']);
  });

  it('forbids prototype-reaching path segments, with or without a schema, also inside map', () => {
    const rule = { and: [{ var: 'constructor' }, { var: 'customer.__proto__.x' }, { map: [{ var: 'loans' }, { var: 'prototype' }] }] };
    expect(brief(validateRule(rule, { path: at }))).toEqual([
      ['rule.var.forbidden', `${at}/and/0/var`, { field: 'constructor', segment: 'constructor' }],
      ['rule.var.forbidden', `${at}/and/1/var`, { field: 'customer.__proto__.x', segment: '__proto__' }],
      ['rule.var.forbidden', `${at}/and/2/map/1/var`, { field: 'prototype', segment: 'prototype' }],
    ]);
  });

  it('warns about computed var paths and still checks the rule that computes them', () => {
    const rule = { var: [{ cat: ['limits.', { var: 'product' }] }, 0] };
    expect(validateRule(rule, { path: at, caseSchema: schema })).toEqual([
      { code: 'rule.var.dynamic', severity: 'warning', path: `${at}/var/0`, params: {} },
      { code: 'rule.var.unknown', severity: 'error', path: `${at}/var/0/cat/1/var`, params: { field: 'product' } },
    ]);
  });

  it('reports shapes that are not json-logic', () => {
    expect(brief(validateRule({ and: [{ '==': [1, 1], '!=': [1, 2] }, {}] }, { path: at }))).toEqual([
      ['rule.invalid', `${at}/and/0`, { reason: 'shape', keys: 2 }],
      ['rule.invalid', `${at}/and/1`, { reason: 'shape', keys: 0 }],
    ]);
    expect(brief(validateRule({ '+': [1, Number.NaN, undefined] }, { path: '' }))).toEqual([
      ['rule.invalid', '/+/1', { reason: 'value' }],
      ['rule.invalid', '/+/2', { reason: 'value' }],
    ]);
  });

  it('escapes operation names in JSON Pointers', () => {
    expect(brief(validateRule({ '/': [{ var: 'x' }, 2] }, { path: at, caseSchema: schema }))).toEqual([
      ['rule.var.unknown', `${at}/~1/0/var`, { field: 'x' }],
    ]);
  });

  it('reports nesting beyond the limit once, with depth and limit', () => {
    expect(validateRule(nested(32), { path: at })).toEqual([]);
    const issues = validateRule(nested(33), { path: at });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'rule.depth.exceeded', params: { depth: 33, limit: 32 } });
    expect(issues[0]?.path).toBe(`${at}${'/!/0'.repeat(32)}`);
    expect(validateRule(nested(33), { path: at, limits: { maxDepth: 40 } })).toEqual([]);
  });

  it('survives and reports a hostile, extremely deep rule', () => {
    const issues = validateRule(nested(100_000), { path: at });
    expect(issues.map((i) => i.code)).toEqual(['rule.size.exceeded', 'rule.depth.exceeded']);
  });

  it('reports rules larger than the size limit', () => {
    const big = { and: Array.from({ length: 700 }, (_, i) => ({ '==': [{ var: 'amount' }, i] })) };
    const issues = validateRule(big, { path: at });
    expect(brief(issues)).toEqual([['rule.size.exceeded', at, { size: 2 + 700 * 5, limit: 2000 }]]);
    expect(validateRule(big, { path: at, limits: { maxSize: 5000 } })).toEqual([]);
    expect(defaultRuleLimits).toEqual({ maxDepth: 32, maxSize: 2000, maxSteps: 100_000 });
  });

  it('allows every documented operation', () => {
    for (const op of ruleOperations) {
      expect(validateRule(op.example.rule, { path: '' }).filter((i) => i.severity === 'error')).toEqual([]);
    }
  });

  it('agrees with evaluation about nesting depth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 4, max: 50 }), (depth, maxDepth) => {
        const rule = nested(depth);
        const staticError = validateRule(rule, { path: '', limits: { maxDepth } }).some((i) => i.code === 'rule.depth.exceeded');
        const runtimeError = evaluateRule(rule, {}, {}, { maxDepth }).error?.code === 'rule.depth.exceeded';
        expect(staticError).toBe(runtimeError);
      }),
    );
    // missing reads through an inner var one level down; the limits agree there too.
    let deepMissing: unknown = { missing: ['a'] };
    for (let i = 0; i < 31; i++) deepMissing = { '!': [deepMissing] };
    expect(validateRule(deepMissing, { path: '' }).map((i) => i.code)).toEqual(['rule.depth.exceeded']);
    expect(evaluateRule(deepMissing, {}).error?.code).toBe('rule.depth.exceeded');
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (rule) => {
        expect(Array.isArray(validateRule(rule, { path: '/r', caseSchema: schema }))).toBe(true);
      }),
    );
  });
});

describe('ruleVars', () => {
  it('lists the case fields a rule reads, once each, without item-relative paths', () => {
    const rule = {
      and: [
        { '>=': [{ var: 'amount' }, 1] },
        { '==': [{ var: ['customer.tier', 'x'] }, 'gold'] },
        { all: [{ var: 'loans' }, { '>': [{ var: 'balance' }, 0] }] },
        { '<': [{ var: 'amount' }, 9] },
        { missing: ['customer.name'] },
        { var: { cat: ['a', 'b'] } },
        { var: '' },
      ],
    };
    expect(ruleVars(rule)).toEqual(['amount', 'customer.tier', 'loans', 'customer.name']);
    expect(ruleVars(true)).toEqual([]);
  });
});
