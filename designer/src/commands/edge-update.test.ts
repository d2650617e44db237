import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('edge.update', () => {
  it('makes an edge the default and clears its sibling in the same step', () => {
    // given e4 is the default of "decide"
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when e3 becomes the default
    store.getState().run('edge.update', { id: 'e3', patch: { default: true } });
    // then e3 is the only default
    const edges = store.getState().doc.edges;
    expect(edges.find((e) => e.id === 'e3')?.default).toBe(true);
    expect(edges.find((e) => e.id === 'e4')).toEqual({ id: 'e4', source: 'decide', target: 'review' });
    expectUndoRedo(store, before);
  });

  it('labels an edge and changes its order', () => {
    // given e3
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when it gets a name and order 2
    store.getState().run('edge.update', { id: 'e3', patch: { name: { 'zh-CN': '小额', en: 'Small' }, order: 2 } });
    // then both are set
    expect(store.getState().doc.edges.find((e) => e.id === 'e3')).toMatchObject({ name: { en: 'Small' }, order: 2 });
    expectUndoRedo(store, before);
  });

  it('removes the default flag rather than storing false', () => {
    // given e4 is the default
    const store = createEditorStore(loanFlow());
    // when the flag is switched off
    store.getState().run('edge.update', { id: 'e4', patch: { default: false } });
    // then the field is gone
    expect('default' in store.getState().doc.edges.find((e) => e.id === 'e4')!).toBe(false);
  });
});
