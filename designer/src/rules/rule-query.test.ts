import { describe, expect, it } from 'vitest';
import { loanFlow } from '../test/fixtures';
import { emptyQuery, queryToRule, ruleToQuery, schemaFields } from './rule-query';

const fields = schemaFields(loanFlow().caseSchema, 'en', (op) => op, { yes: 'yes', no: 'no' });

describe('schemaFields', () => {
  it('lists leaf fields by dotted path with operators fitting their type', () => {
    // given the loan case schema
    // when the builder fields are derived
    // then nested fields appear by dotted path and objects themselves do not
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['amount', 'number'],
      ['branch', 'string'],
      ['customer.id', 'string'],
      ['customer.tier', 'enum'],
      ['approved', 'boolean'],
    ]);
    expect(fields[0]?.label).toBe('Amount (amount)');
    const ops = (name: string) => (fields.find((f) => f.name === name)?.operators as { name: string }[]).map((o) => o.name);
    expect(ops('amount')).toContain('between');
    expect(ops('customer.id')).toContain('inList');
    expect(ops('customer.tier')).not.toContain('<');
  });
});

describe('rule ↔ query round trip', () => {
  it.each([
    ['a single comparison', { '<=': [{ var: 'amount' }, 50000] }],
    ['equality on a nested field', { '==': [{ var: 'customer.tier' }, 'vip'] }],
    ['and of two conditions', { and: [{ '>': [{ var: 'amount' }, 1000] }, { '!=': [{ var: 'branch' }, 'HQ'] }] }],
    ['nested and/or groups', { or: [{ '==': [{ var: 'approved' }, true] }, { and: [{ '>=': [{ var: 'amount' }, 10] }, { '<': [{ var: 'amount' }, 20] }] }] }],
    ['membership in values', { in: [{ var: 'customer.tier' }, ['vip', 'private']] }],
    ['not in values', { '!': { in: [{ var: 'branch' }, ['A', 'B']] } }],
    ['between', { '<=': [1000, { var: 'amount' }, 5000] }],
    ['empty check', { '==': [{ var: 'branch' }, null] }],
    ['not empty check', { '!=': [{ var: 'customer.id' }, null] }],
    ['a named list', { inList: ['blacklist', { var: 'customer.id' }] }],
    ['not on a named list', { '!': { inList: ['whitelist', { var: 'customer.id' }] } }],
    ['an inverted group', { '!': { or: [{ '>': [{ var: 'amount' }, 1] }, { '==': [{ var: 'branch' }, 'X'] }] } }],
  ])('keeps %s unchanged through the builder', (_, rule) => {
    // given a json-logic rule
    // when it is shown in the builder and written back
    const query = ruleToQuery(rule, fields);
    // then the builder can show it and writes back the same rule
    expect(query).not.toBeNull();
    expect(queryToRule(query!, fields)).toEqual(rule);
  });

  it.each([
    ['arithmetic', { '>': [{ '+': [{ var: 'amount' }, 1] }, 5] }],
    ['strict equality (the builder writes ==)', { '===': [{ var: 'branch' }, 'HQ'] }],
    ['a time operation', { '>': [{ workingDaysBetween: [{ var: 'applied' }, { now: [] }] }, 5] }],
    ['a bare value', true],
    ['an if expression', { if: [{ var: 'approved' }, 1, 2] }],
  ])('says the builder cannot show %s', (_, rule) => {
    // given a rule outside what the builder writes
    // when it is converted
    // then the answer is null (keep editing it as JSON)
    expect(ruleToQuery(rule, fields)).toBeNull();
  });

  it('turns builder text values into numbers and booleans by field type', () => {
    // given a query as the builder produces it (all values text)
    const query = {
      combinator: 'and',
      rules: [
        { field: 'amount', operator: '>', value: '1000' },
        { field: 'approved', operator: '=', value: 'false' },
        { field: 'amount', operator: 'between', value: ['5', '10'] },
        { field: 'amount', operator: 'in', value: '1, 2,3' },
        { field: 'branch', operator: '=', value: '007' },
      ],
    };
    // when it is written as a rule
    // then numbers and booleans have their types and text stays text
    expect(queryToRule(query, fields)).toEqual({
      and: [
        { '>': [{ var: 'amount' }, 1000] },
        { '==': [{ var: 'approved' }, false] },
        { '<=': [5, { var: 'amount' }, 10] },
        { in: [{ var: 'amount' }, [1, 2, 3]] },
        { '==': [{ var: 'branch' }, '007'] },
      ],
    });
  });

  it('leaves out conditions that have no value yet', () => {
    // given a query with one finished and two unfinished conditions
    const query = {
      combinator: 'and',
      rules: [
        { field: 'amount', operator: '>', value: '1000' },
        { field: 'branch', operator: '=', value: '' },
        { field: 'amount', operator: 'between', value: ['5', ''] },
        { field: 'branch', operator: 'null', value: '' },
      ],
    };
    // when it is written as a rule
    // then only the finished ones (and the empty check, which needs no value) are in it
    expect(queryToRule(query, fields)).toEqual({ and: [{ '>': [{ var: 'amount' }, 1000] }, { '==': [{ var: 'branch' }, null] }] });
  });

  it('writes no rule for an empty query', () => {
    // given an empty query
    // when written
    // then there is no rule (the edge has no condition)
    expect(queryToRule(emptyQuery(), fields)).toBeUndefined();
    expect(ruleToQuery(undefined, fields)).toEqual(emptyQuery());
  });
});
