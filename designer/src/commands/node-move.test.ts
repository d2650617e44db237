import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('node.move', () => {
  it('moves several nodes in one step and shares the nodes that did not move', () => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when two nodes are dropped at new places
    store.getState().run('node.move', { positions: { gate: { x: 210, y: 40 }, decide: { x: 420.7, y: 40 } } });
    // then both moved (rounded) and the others are the same objects as before
    const doc = store.getState().doc;
    expect(doc.nodes.find((n) => n.id === 'gate')?.position).toEqual({ x: 210, y: 40 });
    expect(doc.nodes.find((n) => n.id === 'decide')?.position).toEqual({ x: 421, y: 40 });
    expect(doc.nodes.find((n) => n.id === 'start')).toBe(before.nodes.find((n) => n.id === 'start'));
    expectUndoRedo(store, before);
  });

  it('records nothing when the nodes end where they started', () => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    // when a node is "moved" to its own position
    const changed = store.getState().run('node.move', { positions: { gate: { x: 200, y: 0 } } });
    // then there is no history entry
    expect(changed).toBe(false);
    expect(store.getState().past).toHaveLength(0);
  });
});
