import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('field.remove', () => {
  it('removes a required field and its required mark', () => {
    // given amount, a required field
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when it is removed
    store.getState().run('field.remove', { path: 'amount' });
    // then neither the property nor the required entry remains
    const schema = store.getState().doc.caseSchema;
    expect(Object.keys(schema.properties)).toEqual(['branch', 'customer', 'approved']);
    expect('required' in schema).toBe(false);
    expectUndoRedo(store, before);
  });

  it('refuses a field that does not exist', () => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    // when a missing field is removed
    // then nothing changed
    expect(store.getState().run('field.remove', { path: 'customer.nope' })).toBe(false);
  });
});
