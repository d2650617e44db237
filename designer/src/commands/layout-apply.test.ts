import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('layout.apply', () => {
  it('places all nodes at once and one undo puts them all back', () => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when a layout is applied
    const positions = Object.fromEntries(before.nodes.map((n, i) => [n.id, { x: i * 300, y: 50 }]));
    store.getState().run('layout.apply', { positions });
    // then every node is at its computed place, as a single history entry
    expect(store.getState().doc.nodes.map((n) => n.position)).toEqual(before.nodes.map((_, i) => ({ x: i * 300, y: 50 })));
    expect(store.getState().past.map((e) => e.command)).toEqual(['layout.apply']);
    expectUndoRedo(store, before);
  });
});
