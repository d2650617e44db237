import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('rule.set', () => {
  it('sets an edge condition', () => {
    // given e3 with a condition on amount
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when a new rule is written
    const rule = { and: [{ '<=': [{ var: 'amount' }, 100000] }, { '==': [{ var: 'customer.tier' }, 'vip'] }] };
    store.getState().run('rule.set', { target: { type: 'edge-condition', edgeId: 'e3' }, rule });
    // then the edge holds it
    expect(store.getState().doc.edges.find((e) => e.id === 'e3')?.condition).toEqual(rule);
    expectUndoRedo(store, before);
  });

  it('clears an edge condition', () => {
    // given e3 with a condition
    const store = createEditorStore(loanFlow());
    // when the rule is cleared
    store.getState().run('rule.set', { target: { type: 'edge-condition', edgeId: 'e3' }, rule: undefined });
    // then the edge has no condition field
    expect('condition' in store.getState().doc.edges.find((e) => e.id === 'e3')!).toBe(false);
  });

  it("sets a compliance gate rule's when", () => {
    // given the blacklist rule of the gate
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when it is rewritten
    const rule = { '>': [{ var: 'amount' }, 1000000] };
    store.getState().run('rule.set', { target: { type: 'gate-rule', nodeId: 'gate', ruleId: 'blacklist' }, rule });
    // then the gate rule has the new when and keeps its action
    const gate = store.getState().doc.nodes.find((n) => n.id === 'gate');
    expect(gate?.kind === 'compliance-gate' && gate.rules[0]).toMatchObject({ id: 'blacklist', when: rule, action: 'stop' });
    expectUndoRedo(store, before);
  });

  it('stores an emptied gate condition as false, so the rule never fires rather than always', () => {
    // given the blacklist stop rule
    const store = createEditorStore(loanFlow());
    // when all its conditions are removed
    store.getState().run('rule.set', { target: { type: 'gate-rule', nodeId: 'gate', ruleId: 'blacklist' }, rule: undefined });
    // then its when is false
    const gate = store.getState().doc.nodes.find((n) => n.id === 'gate');
    expect(gate?.kind === 'compliance-gate' && gate.rules[0]?.when).toBe(false);
  });

  it('records nothing when the rule is unchanged', () => {
    // given e3's condition
    const store = createEditorStore(loanFlow());
    // when the same rule is set again
    const changed = store.getState().run('rule.set', { target: { type: 'edge-condition', edgeId: 'e3' }, rule: { '<=': [{ var: 'amount' }, 50000] } });
    // then there is no history entry
    expect(changed).toBe(false);
  });
});
