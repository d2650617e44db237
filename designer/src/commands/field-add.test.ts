import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('field.add', () => {
  it('adds a nested required field', () => {
    // given the customer object field
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when customer.riskScore is added as required
    store.getState().run('field.add', { path: 'customer.riskScore', field: { type: 'number' }, required: true });
    // then it is declared under customer and listed as required there
    const customer = store.getState().doc.caseSchema.properties.customer!;
    expect(customer.properties?.riskScore).toEqual({ type: 'number' });
    expect(customer.required).toEqual(['id', 'riskScore']);
    expectUndoRedo(store, before);
  });

  it.each([
    ['an existing field', 'amount'],
    ['a prototype key', '__proto__'],
    ['a name with spaces', 'loan amount'],
    ['a field under a non-object', 'amount.cents'],
    ['an empty segment', 'customer..x'],
  ])('refuses %s', (_, path) => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    // when the bad field is added
    const changed = store.getState().run('field.add', { path, field: { type: 'string' } });
    // then nothing changed
    expect(changed).toBe(false);
  });
});
