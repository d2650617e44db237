import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('field.update', () => {
  it('marks a field sensitive and required', () => {
    // given branch, an optional dimension
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when it becomes sensitive and required
    store.getState().run('field.update', { path: 'branch', patch: { sensitive: true }, required: true });
    // then both show in the schema
    const schema = store.getState().doc.caseSchema;
    expect(schema.properties.branch).toEqual({ type: 'string', dimension: true, sensitive: true });
    expect(schema.required).toEqual(['amount', 'branch']);
    expectUndoRedo(store, before);
  });

  it('sets allowed values of a nested field', () => {
    // given customer.tier
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when a value is added to its enum
    store.getState().run('field.update', { path: 'customer.tier', patch: { enum: ['retail', 'vip', 'private'] } });
    // then the nested field has three values
    expect(store.getState().doc.caseSchema.properties.customer?.properties?.tier?.enum).toEqual(['retail', 'vip', 'private']);
    expectUndoRedo(store, before);
  });

  it('drops sub-fields when an object field becomes a string', () => {
    // given customer with sub-fields
    const store = createEditorStore(loanFlow());
    // when its type becomes string
    store.getState().run('field.update', { path: 'customer', patch: { type: 'string' } });
    // then it has no properties or required list
    expect(store.getState().doc.caseSchema.properties.customer).toEqual({ type: 'string' });
  });
});
