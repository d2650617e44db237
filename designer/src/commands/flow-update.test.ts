import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('flow.update', () => {
  it('sets the flow name and the case SLA', () => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when name and SLA change
    store.getState().run('flow.update', { patch: { name: { 'zh-CN': '小微贷款', en: 'SME loan' }, sla: { duration: 'T+1' } } });
    // then both are set
    expect(store.getState().doc).toMatchObject({ name: { en: 'SME loan' }, sla: { duration: 'T+1' } });
    expectUndoRedo(store, before);
  });

  it('cannot change the key or the nodes', () => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    // when a patch names key and nodes
    const changed = store.getState().run('flow.update', { patch: { key: 'other', nodes: [] } as never });
    // then nothing changed
    expect(changed).toBe(false);
  });
});
